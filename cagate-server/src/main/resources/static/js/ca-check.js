// CA 检测: the checks run here, in the order a user's problem shows: is the agent (证书驱动＋签章服务)
// reachable, is it current, does it serve the chosen provider, is the key inserted, are its certificates
// valid and trusted (server: POST /api/ca/check/certificate), and, after the PIN signs a LOGIN challenge
// (the PIN goes to the agent only), is the key bound (server: POST /api/ca/check, no session). Every row
// that fails says what to do next, with the download link where that helps.
import { api } from './cagate.js';
import {
  AgentError, agentMessage, agentUrl, compareVersions, downloadUrl, localNetworkPermission, signChallenge, status,
} from './agent-client.js';

const page = document.querySelector('[data-ca-check]');
const providerForm = page.querySelector('[data-provider-form]');
const pinSection = page.querySelector('[data-pin-section]');
const pinForm = page.querySelector('[data-pin-form]');
const pinError = pinSection.querySelector('[data-error]');
const certTable = page.querySelector('[data-certs]');
const offeredVersion = page.dataset.agentVersion || '';
const agentDownload = page.dataset.agentDownload || '';
const TOKENS_TIMEOUT_MS = 8000;

const STATES = { wait: '检测中', ok: '通过', warn: '注意', fail: '未通过', skip: '未检测' };
const AFTER = { agent: ['version', 'provider', 'token', 'certificates', 'binding'], provider: ['token', 'certificates', 'binding'], token: ['certificates', 'binding'] };
const VALIDITY = { VALID: '有效', EXPIRING: '即将到期', EXPIRED: '已过期', NOT_YET_VALID: '尚未生效' };
const ADVICE = {
  CERT_UNTRUSTED: '请确认选择的 CA 服务商与 CA 锁的签发机构一致；一致仍不受信任时，请联系 CA 服务商。',
  CERT_EXPIRED: '请联系 CA 服务商更新证书。',
  CERT_NOT_YET_VALID: '请检查电脑的日期和时间是否正确，或等证书生效后再试。',
  CERT_REVOKED: '该证书已不能使用，请联系 CA 服务商重新办理。',
  CERT_USAGE: '请使用 CA 锁上的签名证书；如只有这一张证书，请联系 CA 服务商。',
  CERT_MALFORMED: '请联系 CA 服务商检查 CA 锁上的证书。',
  REVOCATION_UNAVAILABLE: '平台暂时无法确认证书是否被吊销，请稍后再检测。',
  CA_NOT_BOUND: '请先使用账号密码登录，在“系统管理 › CA管理 › CA绑定与解绑”中点击“绑定CA”绑定这把 CA 锁。',
  ACCOUNT_DISABLED: '请联系单位管理员启用该账号。',
  REGION_CA_DISABLED: '请联系平台运营人员开通所在区划的 CA 业务。',
  PROVIDER_DISABLED: '该 CA 服务商未在账号所在区划开通，请联系平台运营人员。',
};
let run = 0;


function row(name) {
  return page.querySelector('[data-check="' + name + '"]');
}

function set(name, state, message, advice, links) {
  const item = row(name);
  item.className = 'check ' + state;
  item.dataset.state = state;
  item.querySelector('.state').textContent = STATES[state];
  item.querySelector('.message').textContent = message || '';
  const box = item.querySelector('.advice');
  box.textContent = advice || '';
  for (const link of links || []) {
    const a = document.createElement('a');
    a.href = link.href;
    a.textContent = link.text;
    a.dataset.testid = link.testid || 'check-link';
    box.appendChild(a);
  }
}

function skipAfter(name, message) {
  for (const next of AFTER[name] || []) {
    set(next, 'skip', message || '请先解决上面的问题。');
  }
}

function provider() {
  return providerForm.elements.provider.value;
}

function providerName(code) {
  const option = Array.from(providerForm.elements.provider.options).find((o) => o.value === code);
  return option ? option.textContent : code;
}

function driverLink(code) {
  return { href: downloadUrl(code), text: '下载驱动', testid: 'check-download' };
}

function day(instant) {
  const d = new Date(instant);
  const pad = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
}

/** GET /v1/tokens?provider=: the keys of a provider and the certificates readable without a PIN. */
async function tokens(code) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TOKENS_TIMEOUT_MS);
  let res;
  try {
    res = await fetch(agentUrl() + '/v1/tokens?provider=' + encodeURIComponent(code), {
      headers: { Accept: 'application/json' }, signal: controller.signal, credentials: 'omit', cache: 'no-store',
    });
  } catch (e) {
    const denied = (await localNetworkPermission()) === 'denied';
    const failure = denied ? 'NETWORK_DENIED' : 'AGENT_UNREACHABLE';
    throw new AgentError(failure, agentMessage(failure));
  } finally {
    clearTimeout(timer);
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const failure = (data && data.code) || 'AGENT_ERROR';
    throw new AgentError(failure, agentMessage(failure));
  }
  return Array.isArray(data) ? data : [];
}

function agentFailed(error, code) {
  const download = [driverLink(code)];
  // Outside a secure context (a page opened over plain http) browsers answer "denied" for the local
  // network permission whatever the user did, and may refuse local requests outright.
  const failure = error.code === 'NETWORK_DENIED' && !window.isSecureContext ? 'AGENT_UNREACHABLE' : error.code;
  switch (failure) {
    case 'AGENT_UNREACHABLE':
      set('agent', 'fail', 'CA 检测失败，未检测到驱动。',
        '请下载并安装驱动（证书驱动＋签章服务），启动服务后点击“重新检测”。如果驱动已经在运行，可能是浏览器拦截了本网站访问本机驱动：谷歌、微软等浏览器首次检测时会询问是否允许本网站访问本地网络上的设备，请选择“允许”。'
          + (window.isSecureContext ? '' : '本页面不是通过 https 打开的，浏览器可能不允许访问本机的 CA 驱动，请使用 https 地址访问本平台。'),
        download);
      break;
    case 'NETWORK_DENIED':
      set('agent', 'fail', '浏览器已禁止本网站访问本机的 CA 驱动。',
        '请点击地址栏左侧的网站信息图标，打开“网站设置”，把“本地网络访问”（访问本地网络上的设备）改为“允许”，然后刷新本页面。');
      break;
    case 'ORIGIN_NOT_ALLOWED':
      set('agent', 'fail', 'CA 驱动正在运行，但没有授权本网站使用。',
        '请从本平台重新下载驱动并安装（本平台提供的驱动已填好本平台的地址）。', download);
      break;
    default:
      set('agent', 'fail', error.message, '请重新启动驱动后再检测；仍有问题请联系 CA 服务商。', download);
  }
  skipAfter('agent', '需先检测到 CA 驱动。');
}

function checkVersion(version, code) {
  if (!offeredVersion) {
    set('version', 'skip', '驱动版本 ' + version + '。平台未提供驱动版本信息，无法比较。');
  } else if (compareVersions(version, offeredVersion) >= 0) {
    set('version', 'ok', '驱动版本 ' + version + '，已是最新版本。');
  } else {
    set('version', 'warn', '请更新驱动：驱动版本 ' + version + ' 低于平台提供的最新版本 ' + offeredVersion + '。',
      '请下载最新版本的驱动并安装（原有的不用卸载），重新启动驱动后再检测。',
      [agentDownload ? { href: agentDownload, text: '下载最新驱动', testid: 'check-download' } : driverLink(code)]);
  }
}

function showCertificates(reports) {
  const body = certTable.querySelector('tbody');
  body.textContent = '';
  for (const { report, error } of reports) {
    const tr = document.createElement('tr');
    tr.dataset.testid = 'check-certificate';
    const cells = report
      ? [report.certificate.subject, report.certificate.issuer, day(report.certificate.notAfter), String(report.daysLeft),
        VALIDITY[report.validity] || report.validity, report.trusted ? '是' : '否',
        report.findings.map((f) => f.message).join(' ') || '可以使用']
      : ['-', '-', '-', '-', '-', '-', error.message];
    for (const text of cells) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
  certTable.hidden = reports.length === 0;
}

/** The certificates row from reports: passes when one certificate would be accepted. */
function judgeCertificates(reports) {
  const good = reports.map((r) => r.report).filter((r) => r && r.findings.length === 0);
  if (good.length > 0) {
    const best = good.sort((a, b) => b.daysLeft - a.daysLeft)[0];
    if (best.validity === 'EXPIRING') {
      set('certificates', 'warn', '证书将于 ' + day(best.certificate.notAfter) + ' 到期（还有 ' + best.daysLeft + ' 天）。',
        '请尽快联系 CA 服务商更新证书。');
    } else {
      set('certificates', 'ok', '证书有效，受 CA 服务商信任（有效期至 ' + day(best.certificate.notAfter) + '，还有 ' + best.daysLeft + ' 天）。');
    }
    return true;
  }
  const report = reports.map((r) => r.report).find((r) => r);
  if (!report) {
    set('certificates', 'fail', reports.length ? reports[0].error.message : '未读取到证书。');
    return false;
  }
  const codes = report.findings.map((f) => f.code);
  set('certificates', 'fail', report.findings.map((f) => f.message).join(' '),
    codes.map((c) => ADVICE[c]).filter((a) => a).join(' '));
  return false;
}

async function checkCertificates(code, id) {
  let list;
  try {
    list = await tokens(code);
  } catch (e) {
    set('certificates', 'fail', e.message, '请重新启动驱动后再检测。');
    return;
  }
  const certificates = list.flatMap((t) => t.certificates || []);
  if (certificates.length === 0) {
    set('certificates', 'skip', 'CA 锁上的证书需验证 PIN 码后才能读取，请在下方输入 PIN 码。');
    return;
  }
  const reports = [];
  for (const certificate of certificates) {
    try {
      reports.push({ report: await api('POST', '/api/ca/check/certificate', { provider: code, certificate: certificate.der }) });
    } catch (e) {
      reports.push({ error: e });
    }
  }
  if (id === run) {
    showCertificates(reports);
    judgeCertificates(reports);
  }
}

async function check() {
  const id = ++run;
  for (const name of ['agent', 'version', 'provider', 'token', 'certificates', 'binding']) {
    set(name, 'wait', '');
  }
  certTable.hidden = true;
  pinSection.hidden = true;
  pinError.hidden = true;
  const code = provider();
  let answer;
  try {
    answer = await status();
  } catch (e) {
    if (id === run) {
      agentFailed(e instanceof AgentError ? e : new AgentError('AGENT_ERROR', String(e)), code);
    }
    return;
  }
  if (id !== run) {
    return;
  }
  const served = answer.providers || [];
  set('agent', 'ok', 'CA 驱动正在运行。');
  checkVersion(answer.version || '', code);
  if (!code) {
    set('provider', 'fail', '平台尚未开通任何 CA 服务商。');
    skipAfter('provider');
    return;
  }
  const names = served.map((p) => p.name || p.code).join('、') || '无';
  const entry = served.find((p) => p.code === code);
  if (!entry) {
    set('provider', 'fail', '本机驱动没有配置所选的 CA 服务商“' + providerName(code) + '”（已配置：' + names + '）。',
      '请下载并安装该 CA 服务商的驱动；已安装的，请重新安装本平台提供的最新版本。', [driverLink(code)]);
    skipAfter('provider');
    return;
  }
  set('provider', 'ok', '本机驱动支持所选的 CA 服务商（已配置：' + names + '）。');
  if (entry.tokenPresent === false) {
    set('token', 'fail', agentMessage('TOKEN_NOT_FOUND') + '。',
      '请插入该 CA 服务商的 CA 锁（USB 密钥）；已插入的，请拔出后重新插入，或重新安装该 CA 服务商的驱动后再检测。',
      [driverLink(code)]);
    skipAfter('token');
    return;
  }
  set('token', 'ok', '已检测到 CA 锁。');
  await checkCertificates(code, id);
  if (id === run) {
    set('binding', 'skip', '输入 PIN 码验证后显示。');
    pinSection.hidden = false;
  }
}

function showBinding(binding, report) {
  if (!binding) {
    set('binding', 'fail', '证书不受所选 CA 服务商信任，无法确认绑定状态。', ADVICE.CERT_UNTRUSTED);
  } else if (binding.bound && binding.loginReady) {
    set('binding', 'ok', binding.message);
  } else if (binding.bound) {
    set('binding', 'fail', binding.message, ADVICE[binding.reason] || '');
  } else if (report.findings.length > 0) {
    // Binding would refuse this certificate too: the certificate comes first.
    set('binding', 'fail', binding.message, '这张证书目前不能绑定，请先按“证书”一栏的提示处理，再绑定。');
  } else {
    set('binding', 'fail', binding.message, ADVICE.CA_NOT_BOUND, [{ href: '/login', text: '去登录', testid: 'check-login' }]);
  }
}

pinForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  pinError.hidden = true;
  const code = provider();
  const pin = pinForm.elements.pin.value;
  if (!pin) {
    pinError.textContent = '请输入 PIN 码。';
    pinError.hidden = false;
    return;
  }
  const buttons = pinForm.querySelectorAll('button');
  buttons.forEach((b) => { b.disabled = true; });
  set('binding', 'wait', '');
  try {
    const assertion = await signChallenge('LOGIN', code, pin);
    pinForm.elements.pin.value = '';
    const result = await api('POST', '/api/ca/check', assertion);
    showCertificates([{ report: result.certificate }]);
    judgeCertificates([{ report: result.certificate }]);
    showBinding(result.binding, result.certificate);
  } catch (e) {
    set('binding', 'skip', '输入 PIN 码验证后显示。');
    if (e instanceof AgentError && e.code === 'PIN_INCORRECT') {
      pinForm.elements.pin.value = '';
      pinForm.elements.pin.focus();
    }
    if (e instanceof AgentError && e.driverMissing) {
      agentFailed(e, code);
    }
    pinError.textContent = e.message;
    pinError.hidden = false;
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
});

providerForm.addEventListener('submit', (event) => {
  event.preventDefault();
  check();
});
providerForm.elements.provider.addEventListener('change', () => check());
check();
