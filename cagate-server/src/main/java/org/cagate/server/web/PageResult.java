package org.cagate.server.web;

import java.util.List;
import java.util.function.Function;

/** A page of a list as the API answers it: {@code {total, page, size, items[]}} (DESIGN.md). */
public record PageResult<T>(long total, int page, int size, List<T> items) {

    public PageResult {
        items = List.copyOf(items);
    }

    public static <T> PageResult<T> of(long total, PageQuery query, List<T> items) {
        return new PageResult<>(total, query.page(), query.size(), items);
    }

    public <R> PageResult<R> map(Function<T, R> mapper) {
        return new PageResult<>(total, page, size, items.stream().map(mapper).toList());
    }

    /** The number of pages, at least 1, for the pager of a page. */
    public long pages() {
        return Math.max(1, (total + size - 1) / size);
    }
}
