package org.cagate.server.web;

/**
 * A page of a list as the API takes it: {@code page} counts from 1, {@code size} is 1..100 (the
 * pages offer 10, 20 and 50). Out-of-range values are a VALIDATION problem, not silently fixed.
 */
public record PageQuery(int page, int size) {

    public static final int MAX_SIZE = 100;

    public PageQuery {
        if (page < 1 || page > 1_000_000) {
            throw ApiException.detail(ProblemCode.VALIDATION, "problem.VALIDATION.page");
        }
        if (size < 1 || size > MAX_SIZE) {
            throw ApiException.detail(ProblemCode.VALIDATION, "problem.VALIDATION.size", MAX_SIZE);
        }
    }

    /** Reads optional request parameters, with page 1 and size 10 when absent. */
    public static PageQuery of(Integer page, Integer size) {
        return new PageQuery(page == null ? 1 : page, size == null ? 10 : size);
    }

    /**
     * A list page as a page shows it: a page beyond the last (an old link, {@code ?page=99}) shows the last
     * page instead of 暂无数据 beside "共有4条".
     */
    public static <T> PageResult<T> clamped(
            PageQuery query, java.util.function.Function<PageQuery, PageResult<T>> list) {
        PageResult<T> result = list.apply(query);
        if (result.total() > 0 && query.page() > result.pages()) {
            return list.apply(new PageQuery((int) result.pages(), query.size()));
        }
        return result;
    }

    public int offset() {
        return (page - 1) * size;
    }
}
