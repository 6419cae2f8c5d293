package org.cagate.demo.rp;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/** 示例应用's one page: a greeting with the claims cagate sent (ID token and userinfo). */
@RestController
class GreetingController {

    @GetMapping(value = "/", produces = MediaType.TEXT_HTML_VALUE + ";charset=UTF-8")
    String greeting(@AuthenticationPrincipal OidcUser user) {
        List<String> amr = user.getClaimAsStringList("amr");
        boolean ca = amr != null && amr.contains("hwk");
        StringBuilder html = new StringBuilder();
        html.append(
                "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"UTF-8\"><title>示例应用</title></head><body>");
        html.append("<h1 data-testid=\"greeting\">您好，")
                .append(e(user.getFullName()))
                .append("</h1>");
        html.append("<p data-testid=\"login-method\">您通过政府采购云平台")
                .append(ca ? "使用 CA 锁（CA 登录）" : "使用账号和密码（账号登录）")
                .append("登录了本应用。</p>");
        if (ca) {
            html.append("<p data-testid=\"ca-key\">CA服务商: ")
                    .append(e(user.getClaimAsString("ca_provider")))
                    .append(" CA锁ID: ")
                    .append(e(user.getClaimAsString("ca_key_id")))
                    .append("</p>");
        }
        html.append("<table data-testid=\"claims\"><tr><th>声明</th><th>值</th></tr>");
        Map<String, Object> claims = new TreeMap<>(user.getClaims());
        claims.forEach((name, value) -> html.append("<tr><td>")
                .append(e(name))
                .append("</td><td>")
                .append(e(String.valueOf(value)))
                .append("</td></tr>"));
        html.append("</table>");
        html.append("</body></html>");
        return html.toString();
    }

    private static String e(String value) {
        return value == null ? "" : HtmlUtils.htmlEscape(value);
    }
}
