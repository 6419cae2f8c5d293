package org.cagate.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.cagate.server.account.CagateUser;
import org.cagate.server.account.Role;
import org.junit.jupiter.api.Test;

class MenuTests {

    private final Menu menu = new Menu(
            List.of(
                    new MenuItem(null, "员工管理", "/system/staff", Role.ORG_ADMIN, 400),
                    new MenuItem("CA管理", "CA绑定与解绑", "/system/ca/bindings", Role.USER, 310),
                    new MenuItem(null, "账户管理", "/system/profile", null, 100),
                    new MenuItem("CA管理", "CA证书申领", "/system/ca/apply", Role.USER, 300),
                    new MenuItem(null, "部门管理", "/system/departments", Role.USER, 200)),
            List.of(new AppEntry("系统管理", "", "/system", null, 10)),
            List.of());

    private static CagateUser user(Role... roles) {
        return new CagateUser(1, "PGHS008", "西子", 7L, "培训省西子贸易集团", "339900", "培训省本级", Set.of(roles));
    }

    @Test
    void sectionsWhenGroupsContributedThenOrderedLikeTheSeed() {
        List<Menu.Section> sections = menu.sectionsFor(user(Role.USER, Role.ORG_ADMIN));

        assertThat(sections).extracting(Menu.Section::title).containsExactly("账户管理", "部门管理", "CA管理", "员工管理");
        assertThat(sections.get(2).isGroup()).isTrue();
        assertThat(sections.get(2).items()).extracting(MenuItem::title).containsExactly("CA证书申领", "CA绑定与解绑");
    }

    @Test
    void sectionsWhenRoleMissingThenItemHidden() {
        assertThat(menu.sectionsFor(user(Role.USER)))
                .extracting(Menu.Section::title)
                .doesNotContain("员工管理");
        assertThat(menu.sectionsFor(user(Role.PLATFORM_ADMIN)))
                .extracting(Menu.Section::title)
                .containsExactly("账户管理");
    }

    @Test
    void firstPathWhenUserThenFirstVisibleItem() {
        assertThat(menu.firstPathFor(user(Role.PLATFORM_ADMIN))).isEqualTo("/system/profile");
        assertThat(menu.appsFor(user(Role.USER))).hasSize(1);
        assertThat(menu.appsFor(null)).isEmpty();
    }
}
