package org.cagate.server.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * Chinese names for the audit page and CSV ({@code ${@auditLabels.action(e.action)}}): actions, outcomes,
 * reasons (the problem's title, as the client was told) and the keys of details.
 */
@Component("auditLabels")
public class AuditLabels {

    /** Actions in the order the page's filter lists them. */
    private static final Map<String, String> CORE = new LinkedHashMap<>();

    static {
        CORE.put(AuditAction.PASSWORD_LOGIN.name(), "密码登录");
        CORE.put(AuditAction.CA_LOGIN.name(), "CA 登录");
        CORE.put(AuditAction.LOGOUT.name(), "退出登录");
        CORE.put(AuditAction.BIND.name(), "绑定 CA");
        CORE.put(AuditAction.UNBIND.name(), "解除 CA 绑定");
        CORE.put(AuditAction.CERT_RENEWED.name(), "CA 证书更新");
        CORE.put(AuditAction.PROVIDER_CHANGED.name(), "修改 CA 服务商");
        CORE.put(AuditAction.PASSWORD_CHANGED.name(), "修改密码");
        CORE.put(AuditAction.PASSWORD_RESET.name(), "重置密码");
        CORE.put(AuditAction.PROFILE_UPDATED.name(), "修改个人信息");
        CORE.put(AuditAction.ACCOUNT_CREATED.name(), "新增账户");
        CORE.put(AuditAction.ACCOUNT_UPDATED.name(), "修改账户");
        CORE.put(AuditAction.ACCOUNT_DISABLED.name(), "停用账户");
        CORE.put(AuditAction.ACCOUNT_ENABLED.name(), "启用账户");
        CORE.put(AuditAction.ACCOUNT_UNLOCKED.name(), "解锁账户");
        CORE.put(AuditAction.REGION_CHANGED.name(), "修改区划");
        CORE.put(AuditAction.ORGANIZATION_CREATED.name(), "新增单位");
        CORE.put(AuditAction.ORGANIZATION_UPDATED.name(), "修改单位");
        CORE.put(AuditAction.DEPARTMENT_CREATED.name(), "新增部门");
        CORE.put(AuditAction.DEPARTMENT_UPDATED.name(), "修改部门");
        CORE.put(AuditAction.DEPARTMENT_DELETED.name(), "删除部门");
        CORE.put(AuditExport.EXPORTED.name(), "导出审计日志");
    }

    /** Keys of {@code key=value} details the features write, in Chinese. */
    private static final Map<String, String> DETAIL_KEYS = Map.ofEntries(
            Map.entry("loginName", "登录账户"),
            Map.entry("roles", "角色"),
            Map.entry("rows", "条数"),
            Map.entry("format", "格式"),
            Map.entry("algorithm", "算法"),
            Map.entry("revocation", "吊销检查"),
            Map.entry("tokenSerial", "CA锁序列号"),
            Map.entry("binding", "绑定编号"),
            Map.entry("certificate", "证书指纹"),
            Map.entry("notAfter", "到期时间"));

    private static final Pattern DETAIL_KEY = Pattern.compile("(?<![A-Za-z0-9_])([A-Za-z]+)=");
    private static final Pattern ROLE_LIST = Pattern.compile("角色：([A-Z_,]+)");
    private static final Map<String, String> ROLES =
            Map.of("USER", "普通用户", "ORG_ADMIN", "单位管理员", "PLATFORM_ADMIN", "平台管理员");
    private static final Map<String, String> PHRASES = Map.of("bootstrap platform admin", "启动时创建的平台管理员");

    private final Map<String, String> actions = new LinkedHashMap<>(CORE);
    private final MessageSource messages;

    AuditLabels(List<AuditActionLabel> contributed, MessageSource messages) {
        contributed.forEach(label -> actions.put(label.action().name(), label.label()));
        this.messages = messages;
    }

    /** Every known action, code to name, for the page's filter. */
    public Map<String, String> actions() {
        return actions;
    }

    public String action(String code) {
        return actions.getOrDefault(code, code);
    }

    public String outcome(AuditOutcome outcome) {
        return outcome == AuditOutcome.SUCCESS ? "成功" : "失败";
    }

    /** The title of the problem the client was answered with, e.g. 账号或密码错误; the code if unknown. */
    public String reason(String code) {
        if (code == null) {
            return "";
        }
        return messages.getMessage("problem." + code + ".title", null, code, Locale.SIMPLIFIED_CHINESE);
    }

    /**
     * A detail with the known keys of its {@code key=value} parts (and role codes) in Chinese; values and
     * unknown keys stay as they are, e.g. {@code format=CMS algorithm=SM3withSM2} → {@code 格式：CMS 算法：SM3withSM2}.
     */
    public String detail(String detail) {
        if (detail == null) {
            return "";
        }
        String phrase = PHRASES.get(detail);
        if (phrase != null) {
            return phrase;
        }
        Matcher keys = DETAIL_KEY.matcher(detail);
        StringBuilder out = new StringBuilder();
        while (keys.find()) {
            String label = DETAIL_KEYS.get(keys.group(1));
            keys.appendReplacement(out, Matcher.quoteReplacement(label == null ? keys.group() : label + "："));
        }
        keys.appendTail(out);
        Matcher roles = ROLE_LIST.matcher(out.toString());
        StringBuilder named = new StringBuilder();
        while (roles.find()) {
            StringBuilder list = new StringBuilder();
            for (String role : roles.group(1).split(",")) {
                list.append(list.isEmpty() ? "" : "、").append(ROLES.getOrDefault(role, role));
            }
            roles.appendReplacement(named, Matcher.quoteReplacement("角色：" + list));
        }
        roles.appendTail(named);
        return named.toString();
    }
}
