package org.cagate.server.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cagate.server.account.CagateUser;
import org.springframework.stereotype.Component;

/** Builds the 系统管理 menu and the 应用中心 tiles a user may see from the contributed beans. */
@Component
public class Menu {

    /** A top-level menu entry: one item (no group) or a group with its items. */
    public record Section(String title, String path, List<MenuItem> items, int order) {
        public boolean isGroup() {
            return path == null;
        }
    }

    private final List<MenuItem> items;
    private final List<AppEntry> apps;
    private final List<AppSource> sources;

    Menu(List<MenuItem> items, List<AppEntry> apps, List<AppSource> sources) {
        this.sources = List.copyOf(sources);
        this.items =
                items.stream().sorted(Comparator.comparingInt(MenuItem::order)).toList();
        this.apps =
                apps.stream().sorted(Comparator.comparingInt(AppEntry::order)).toList();
    }

    public List<Section> sectionsFor(CagateUser user) {
        Map<String, List<MenuItem>> groups = new LinkedHashMap<>();
        List<Section> sections = new ArrayList<>();
        for (MenuItem item : items) {
            if (!item.visibleTo(user)) {
                continue;
            }
            if (item.group() == null) {
                sections.add(new Section(item.title(), item.path(), List.of(), item.order()));
            } else {
                groups.computeIfAbsent(item.group(), g -> new ArrayList<>()).add(item);
            }
        }
        groups.forEach((title, members) -> sections.add(
                new Section(title, null, List.copyOf(members), members.get(0).order())));
        sections.sort(Comparator.comparingInt(Section::order));
        return sections;
    }

    /** The first page of the menu a user may open, where 系统管理 lands. */
    public String firstPathFor(CagateUser user) {
        return items.stream()
                .filter(item -> item.visibleTo(user))
                .map(MenuItem::path)
                .findFirst()
                .orElse("/apps");
    }

    /** The title of the menu entry for a path, for the header's page name. */
    public String titleFor(String path) {
        return items.stream()
                .filter(item -> item.path().equals(path))
                .map(MenuItem::title)
                .findFirst()
                .orElse(null);
    }

    public List<AppEntry> appsFor(CagateUser user) {
        List<AppEntry> visible =
                new ArrayList<>(apps.stream().filter(app -> app.visibleTo(user)).toList());
        if (user != null) {
            sources.forEach(source -> visible.addAll(source.appsFor(user)));
        }
        return visible;
    }
}
