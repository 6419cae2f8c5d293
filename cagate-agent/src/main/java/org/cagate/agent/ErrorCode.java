package org.cagate.agent;

/**
 * The agent's error codes (DESIGN.md, "Agent"), with the HTTP status and the message a person reads.
 * The first seven are the wire contract v1, PIN_FINAL_TRY an addition to it; the last three are ours, for requests that are not
 * requests at all and for failures that are nobody's input (see docs/agent.md).
 */
enum ErrorCode {
    TOKEN_NOT_FOUND(404, "未检测到密钥盘"),
    PIN_INCORRECT(401, "PIN 码错误"),
    PIN_LOCKED(423, "PIN 码已锁定，请联系 CA 服务商解锁"),
    ORIGIN_NOT_ALLOWED(403, "该网站无权使用本机的 CA 驱动"),
    NOT_A_CHALLENGE(400, "签名内容不是平台的登录或绑定挑战，已拒绝签名"),
    ORIGIN_MISMATCH(403, "挑战来自其他网站，已拒绝签名"),
    PROVIDER_UNKNOWN(404, "本机 CA 驱动未配置该 CA 服务商"),
    /**
     * The key reports its final PIN try and the request did not say the user confirmed it: no PIN was
     * tried. An addition to v1 (docs/agent.md, "PIN protection"); the page asks and sends
     * {@code finalTryConfirmed: true}.
     */
    PIN_FINAL_TRY(409, "PIN 码只剩最后一次机会，再输错密钥盘将被锁定，请确认 PIN 码无误后再试"),
    /** Malformed JSON, a missing field, bad base64, a body too large: the request cannot be read. */
    BAD_REQUEST(400, "请求格式错误"),
    /** A path the agent does not serve. */
    NOT_FOUND(404, "没有这个接口"),
    /** The token or the agent failed in a way no request caused; details are in the agent's log. */
    AGENT_ERROR(500, "CA 驱动内部错误，请查看驱动日志或联系客服");

    private final int status;
    private final String message;

    ErrorCode(int status, String message) {
        this.status = status;
        this.message = message;
    }

    int status() {
        return status;
    }

    String message() {
        return message;
    }
}
