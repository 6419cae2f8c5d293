// 电子签章 › 验章: POST /api/pdf/verify with the chosen PDF, one card per signature.
import { upload } from './cagate.js';

const page = document.querySelector('[data-doc-verify]');
const maxBytes = Number(page.dataset.maxPdfMb) * 1024 * 1024;
const input = page.querySelector('[data-pdf-file]');
const error = page.querySelector('[data-error]');
const results = page.querySelector('[data-results]');
const list = page.querySelector('[data-list]');
const template = page.querySelector('[data-signature-template]');

const FINDINGS = {
  CERT_EXPIRED: '证书已过期',
  CERT_NOT_YET_VALID: '证书尚未生效',
  CERT_REVOKED: '证书已被吊销',
  CERT_UNTRUSTED: '证书不是本平台的 CA 服务商签发的',
  CERT_USAGE: '证书不能用于签名',
  CERT_MALFORMED: '证书无法读取',
  REVOCATION_UNAVAILABLE: '暂时无法确认证书是否被吊销',
};

const COVERAGE = {
  WHOLE_DOCUMENT: '签章后文档未被修改',
  LATER_SIGNATURES_ONLY: '签章后文档未被修改（之后只追加了其他签章）',
  CHANGED_AFTER: '签章后文档被修改过',
};

function time(instant) {
  if (!instant) {
    return null;
  }
  return new Date(instant).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

function show(message) {
  error.textContent = message;
  error.hidden = !message;
}

function card(signature) {
  const node = template.content.firstElementChild.cloneNode(true);
  const set = (field, text) => { node.querySelector('[data-field="' + field + '"]').textContent = text; };
  set('title', '签章 ' + signature.index);
  set('verdict', signature.valid ? '签章有效' : '签章无效');
  node.querySelector('[data-field="verdict"]').classList.add(signature.valid ? 'ok' : 'bad');
  node.dataset.valid = String(signature.valid);
  set('signer', signature.signer || '—');
  set('issuer', signature.issuer || '—');
  set('provider', signature.providerName || '不是本平台的 CA 服务商');
  set('algorithm', signature.algorithm || '—');
  set('signingTime', time(signature.signingTime) || '—');
  set('timestamp', signature.timestamp ? time(signature.timestamp) + '（可信时间戳）' : '无时间戳（签章时间是签章电脑报告的时间）');
  set('coverage', signature.intact
    ? COVERAGE[signature.coverage] || signature.coverage
    : '签名后文档内容被修改，或签名已损坏' + (signature.problem ? '：' + signature.problem : ''));
  node.querySelector('[data-field="coverage"]').classList.add(signature.intact && signature.coverage !== 'CHANGED_AFTER' ? 'ok' : 'bad');
  const findings = (signature.findings || []).map((f) => FINDINGS[f] || f);
  if (!signature.provider) {
    findings.unshift('证书不是本平台的 CA 服务商签发的');
  }
  set('findings', findings.length ? findings.join('；') : '证书有效（受信任、未过期、未吊销）');
  node.querySelector('[data-field="findings"]').classList.add(findings.length ? 'bad' : 'ok');
  return node;
}

input.addEventListener('change', async () => {
  show('');
  results.hidden = true;
  list.replaceChildren();
  const file = input.files[0];
  if (!file) {
    return;
  }
  if (file.size > maxBytes) {
    show('PDF 文件超过 ' + page.dataset.maxPdfMb + ' MB，无法验章。');
    return;
  }
  const data = new FormData();
  data.append('file', file);
  try {
    const signatures = await upload('POST', '/api/pdf/verify', data);
    const valid = signatures.filter((s) => s.valid).length;
    page.querySelector('[data-summary]').textContent = signatures.length === 0
      ? '该文件没有签章。'
      : file.name + '：共 ' + signatures.length + ' 个签章，' + valid + ' 个有效' + (valid < signatures.length ? '，' + (signatures.length - valid) + ' 个无效' : '') + '。';
    signatures.forEach((s) => list.appendChild(card(s)));
    results.hidden = false;
  } catch (e) {
    show(e.message);
  }
});
