// 平台运营 › CA服务商 › 新增 / 编辑: trust anchors (kept ones, pasted PEM, a chosen file), identity rule,
// revocation, regions and CA证书申领 information, saved with PUT /api/admin/ca-providers/{code}.
import { api, onSubmit, showError, value } from './cagate.js';

const page = document.querySelector('[data-ca-provider]');
const form = page.querySelector('form');

for (const button of form.querySelectorAll('[data-anchor-remove]')) {
  button.addEventListener('click', () => button.closest('tr').remove());
}

// A chosen file's text is added to the PEM box; the browser reads it, nothing is uploaded separately.
form.elements.pemFile.addEventListener('change', async () => {
  const file = form.elements.pemFile.files[0];
  if (!file) {
    return;
  }
  if (file.size > 200000) {
    showError(form, '证书文件过大。');
    return;
  }
  const text = await file.text();
  form.elements.pem.value = (form.elements.pem.value.trim() + '\n' + text).trim();
  form.elements.pemFile.value = '';
});

function lines(name) {
  return String(form.elements[name].value).split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
}

onSubmit(form, async () => {
  const code = page.dataset.code || value(form, 'code');
  if (!code) {
    showError(form, '请填写代码。');
    return;
  }
  const anchors = Array.from(form.querySelectorAll('[data-anchor]')).map((row) => row.dataset.pem);
  const pasted = value(form, 'pem');
  if (pasted) {
    anchors.push(pasted);
  }
  const body = {
    name: value(form, 'name'),
    enabled: form.elements.enabled.checked,
    trustAnchors: anchors,
    identity: { source: form.elements.identitySource.value, oid: value(form, 'identityOid') },
    revocation: {
      mode: form.elements.revocationMode.value,
      failOpen: form.elements.failOpen.checked,
      crlUrls: lines('crlUrls'),
      ocspUrl: value(form, 'ocspUrl'),
      fetchHosts: lines('fetchHosts'),
      fetchPrivateAddresses: form.elements.fetchPrivateAddresses.checked,
    },
    regions: Array.from(form.querySelectorAll('input[name="regions"]:checked')).map((box) => box.value),
    servicePhone: value(form, 'servicePhone'),
    applyUrl: value(form, 'applyUrl'),
    applyNote: value(form, 'applyNote'),
  };
  await api('PUT', '/api/admin/ca-providers/' + encodeURIComponent(code), body);
  window.location.assign('/system/platform/ca-providers');
});
