// The page side of the local agent (证书驱动 + 签章服务, DESIGN "Agent"): every page that talks to the
// agent uses this module. The PIN goes to the agent only, never to the platform server.
//
//   const assertion = await signChallenge('LOGIN', 'ZJHX', pin);   // agent check, challenge, sign
//   await api('POST', '/api/ca/login', assertion);
//
// Failures are AgentError with a code (the agent's, or AGENT_UNREACHABLE / NETWORK_DENIED of this
// module) and a Chinese message; driverMissing tells the page to offer 下载驱动. Every page that shows an
// agent error links to CA 检测 (checkUrl) for the provider, where the user sees what is wrong and what to do.
import { api, showError } from './cagate.js';

const DEFAULT_AGENT = 'http://127.0.0.1:21777';
const STATUS_TIMEOUT_MS = 4000;
// A real key may take seconds, and the agent waits a few seconds after a wrong PIN.
const SIGN_TIMEOUT_MS = 90000;

export class AgentError extends Error {
  constructor(code, message, retriesLeft) {
    super(message);
    this.code = code;
    this.retriesLeft = retriesLeft === undefined ? null : retriesLeft;
    this.driverMissing = code === 'AGENT_UNREACHABLE' || code === 'NETWORK_DENIED' || code === 'PROVIDER_UNKNOWN';
  }
}

/** Where the agent listens: the page's data-agent-url (server setting cagate.ca.agent-url), else the default. */
export function agentUrl() {
  const element = document.querySelector('[data-agent-url]');
  const url = element && element.dataset.agentUrl;
  return (url || DEFAULT_AGENT).replace(/\/$/, '');
}

/** The 客户端&驱动下载 page for a provider. */
export function downloadUrl(provider) {
  return '/drivers' + (provider ? '?provider=' + encodeURIComponent(provider) : '');
}

/** The CA 检测 page, started with a provider. */
export function checkUrl(provider) {
  return '/ca-check' + (provider ? '?provider=' + encodeURIComponent(provider) : '');
}

/** The Chinese text for an agent error code. */
export function agentMessage(code, retriesLeft) {
  switch (code) {
    case 'AGENT_UNREACHABLE': return 'CA 检测失败，未检测到驱动';
    case 'NETWORK_DENIED': return 'CA 检测失败，浏览器已禁止本网站访问本机的 CA 驱动，请在浏览器的网站设置中允许“访问本地网络”后重试';
    case 'PROVIDER_UNKNOWN': return 'CA 检测失败，未检测到该 CA 服务商的驱动';
    case 'TOKEN_NOT_FOUND': return '未检测到密钥盘';
    case 'PIN_INCORRECT':
      return retriesLeft === null || retriesLeft === undefined
        ? 'PIN 码错误，请重新输入'
        : 'PIN 码错误，还可尝试 ' + retriesLeft + ' 次';
    case 'PIN_LOCKED': return 'PIN 码已锁定，请联系 CA 服务商解锁';
    case 'PIN_FINAL_TRY': return 'PIN 码只剩最后一次机会，已取消，未尝试 PIN 码';
    case 'ORIGIN_NOT_ALLOWED': return '该网站无权使用本机的 CA 驱动，请从本平台重新下载驱动';
    case 'ORIGIN_MISMATCH': return '签名请求来自其他网站，CA 驱动已拒绝';
    case 'NOT_A_CHALLENGE': return '签名内容不是本平台的登录或绑定请求，CA 驱动已拒绝';
    case 'AGENT_ERROR': return 'CA 驱动内部错误，请联系 CA 服务商';
    default: return 'CA 驱动无法完成请求（' + code + '）';
  }
}

/**
 * Chrome and Edge ask before a site may reach local addresses (Local Network Access). Returns
 * 'granted', 'denied', 'prompt', or 'unknown' when the browser has no such permission.
 */
export async function localNetworkPermission() {
  if (!navigator.permissions || !navigator.permissions.query) {
    return 'unknown';
  }
  for (const name of ['local-network-access', 'loopback-network']) {
    try {
      return (await navigator.permissions.query({ name })).state;
    } catch (e) {
      // this browser does not know the name
    }
  }
  return 'unknown';
}

async function call(method, path, body, timeout) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout);
  let res;
  try {
    res = await fetch(agentUrl() + path, {
      method,
      headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: controller.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (e) {
    // Not running, the port taken by something else, or the browser refused the local request.
    const denied = (await localNetworkPermission()) === 'denied';
    throw new AgentError(denied ? 'NETWORK_DENIED' : 'AGENT_UNREACHABLE', agentMessage(denied ? 'NETWORK_DENIED' : 'AGENT_UNREACHABLE'));
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  try {
    data = await res.json();
  } catch (e) {
    data = null;
  }
  if (!res.ok) {
    const code = (data && data.code) || 'AGENT_ERROR';
    const retries = data && typeof data.retriesLeft === 'number' ? data.retriesLeft : null;
    throw new AgentError(code, agentMessage(code, retries), retries);
  }
  return data;
}

/** Versions like 1.2.10, 0.1.0-SNAPSHOT: numbers compared as numbers; a suffix makes a version older. */
export function compareVersions(a, b) {
  const parse = (v) => {
    const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(String(v).trim());
    return m ? { nums: m[1].split('.').map(Number), rest: m[2] } : { nums: [], rest: String(v) };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const d = (x.nums[i] || 0) - (y.nums[i] || 0);
    if (d !== 0) {
      return d < 0 ? -1 : 1;
    }
  }
  if (x.rest === y.rest) {
    return 0;
  }
  if (x.rest === '' || y.rest === '') {
    return x.rest === '' ? 1 : -1;
  }
  return x.rest < y.rest ? -1 : 1;
}

/**
 * 请更新驱动: when the running agent is older than the one the platform offers (the page's
 * data-agent-version), shows the notice element (its [data-outdated-text] says both versions). Asks the
 * agent only when the page offers a version; an agent that does not answer shows nothing here (the
 * flows say 未检测到驱动 themselves).
 */
export async function showIfOutdated(notice) {
  const element = document.querySelector('[data-agent-version]');
  const offered = element ? element.dataset.agentVersion : '';
  if (!notice || !offered) {
    return;
  }
  let running;
  try {
    running = (await status()).version;
  } catch (e) {
    return;
  }
  notice.dataset.checkedVersion = running || '';
  if (running && compareVersions(running, offered) < 0) {
    notice.querySelector('[data-outdated-text]').textContent =
      '请更新驱动：本机驱动版本 ' + running + ' 低于平台提供的最新版本 ' + offered + '。';
    notice.hidden = false;
  }
}

/** GET /v1/status: {product, version, providers[{code, name, backend, tokenPresent}]}. */
export function status() {
  return call('GET', '/v1/status', undefined, STATUS_TIMEOUT_MS);
}

/**
 * Step 1 of the flows: the agent answers, has this provider configured and sees its key.
 * Resolves with the provider's entry of /v1/status.
 */
export async function checkAgent(provider) {
  const answer = await status();
  const entry = (answer.providers || []).find((p) => p.code === provider);
  if (!entry) {
    throw new AgentError('PROVIDER_UNKNOWN', agentMessage('PROVIDER_UNKNOWN'));
  }
  if (entry.tokenPresent === false) {
    throw new AgentError('TOKEN_NOT_FOUND', agentMessage('TOKEN_NOT_FOUND'));
  }
  return entry;
}

/**
 * POST /v1/sign: the agent unlocks the key with the PIN and signs the challenge bytes. When the key has
 * only its final PIN try left, the agent tries nothing (PIN_FINAL_TRY) until the person confirms here.
 */
export async function sign(provider, pin, toBeSigned, format) {
  const body = { provider, pin, toBeSigned, format: format || 'RAW' };
  try {
    return await call('POST', '/v1/sign', body, SIGN_TIMEOUT_MS);
  } catch (e) {
    if (!(e instanceof AgentError) || e.code !== 'PIN_FINAL_TRY' || !window.confirm(FINAL_TRY_QUESTION)) {
      throw e;
    }
    return call('POST', '/v1/sign', Object.assign({ finalTryConfirmed: true }, body), SIGN_TIMEOUT_MS);
  }
}

/**
 * POST /v1/sign-document (签章): the agent signs a document's digest (SHA-256 for RSA/EC keys, SM3 for SM2;
 * both are sent, the key takes its own) inside CMS signed attributes it builds, and answers the CMS. The
 * same PIN handling as sign(): a key at its final try is asked about first.
 */
export async function signDocument(provider, pin, documentName, sha256, sm3) {
  await checkAgent(provider);
  const body = { provider, pin, documentName, digests: { 'SHA-256': sha256, SM3: sm3 } };
  try {
    return await call('POST', '/v1/sign-document', body, SIGN_TIMEOUT_MS);
  } catch (e) {
    if (!(e instanceof AgentError) || e.code !== 'PIN_FINAL_TRY' || !window.confirm(FINAL_TRY_QUESTION)) {
      throw e;
    }
    return call('POST', '/v1/sign-document', Object.assign({ finalTryConfirmed: true }, body), SIGN_TIMEOUT_MS);
  }
}

const FINAL_TRY_QUESTION = '最后一次机会：密钥盘的 PIN 码只剩 1 次尝试机会，再输错密钥盘将被锁定，需要联系 CA 服务商解锁。'
  + '\n\n请确认输入的 PIN 码无误。确定继续吗？';

/**
 * The whole client side of DESIGN "Flows": agent check, a challenge from the server (purpose LOGIN or
 * BIND), the agent's signature. Resolves with the assertion to post to the server. Server refusals
 * reject with the ApiError of cagate.js (its message is the problem's Chinese detail).
 */
export async function signChallenge(purpose, provider, pin, format) {
  await checkAgent(provider);
  const challenge = await api('POST', '/api/ca/challenges', { purpose, provider });
  const signed = await sign(provider, pin, challenge.toBeSigned, format);
  return {
    challengeId: challenge.id,
    format: signed.format,
    algorithm: signed.algorithm,
    certificate: signed.certificate,
    chain: signed.chain || [],
    signature: signed.signature,
    tokenSerial: signed.tokenSerial || null,
  };
}

/**
 * Shows a failed ceremony on a form with an agent box, as every page with a PIN does: no agent (or no such
 * provider in it) → the form's "未检测到驱动" box (data-driver-missing) with the download link; anything else
 * → the message on the form, and for an agent error the driver help (data-driver-help) too; a wrong PIN
 * empties the PIN field for the next try. refreshLinks points the boxes' links at the chosen provider.
 */
export function showSignFailure(form, error, refreshLinks) {
  const driverMissing = form.querySelector('[data-driver-missing]');
  const driverHelp = form.querySelector('[data-driver-help]');
  if (error instanceof AgentError && error.driverMissing) {
    driverMissing.firstChild.textContent = error.message;
    refreshLinks();
    driverMissing.hidden = false;
  } else {
    showError(form, error);
    if (error instanceof AgentError) {
      refreshLinks();
      driverHelp.hidden = false;
    }
  }
  if (error instanceof AgentError && error.code === 'PIN_INCORRECT') {
    form.elements.pin.value = '';
    form.elements.pin.focus();
  }
}
