// 平台运营 › 驱动管理: upload a package (multipart POST /api/admin/drivers) and retire one
// (POST /api/admin/drivers/{id}/retire). The server checks type, size and version; the page only
// refuses a file that is plainly too large before sending it.
import { ApiError, api, clearError, confirmAction, showError } from './cagate.js';

const page = document.querySelector('[data-drivers-admin]');
const form = page.querySelector('[data-upload]');
const errorBox = page.querySelector('[data-error]');
const maxSize = Number(page.dataset.maxSize);

function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) {
      return decodeURIComponent(rest.join('='));
    }
  }
  return null;
}

// cagate.js sends JSON only; a file goes as multipart/form-data with the same CSRF header.
async function upload(data) {
  if (!cookie('XSRF-TOKEN')) {
    await api('GET', '/api/auth/csrf');
  }
  let res;
  try {
    res = await fetch('/api/admin/drivers', {
      method: 'POST',
      body: data,
      credentials: 'same-origin',
      headers: { Accept: 'application/json, application/problem+json', 'Accept-Language': 'zh-CN', 'X-XSRF-TOKEN': cookie('XSRF-TOKEN') || '' },
    });
  } catch (e) {
    throw new ApiError(0, { detail: '无法连接服务器，请检查网络后重试。' });
  }
  const type = res.headers.get('Content-Type') || '';
  const body = type.includes('json') ? await res.json() : null;
  if (!res.ok) {
    throw new ApiError(res.status, body);
  }
  return body;
}

function fail(error) {
  errorBox.textContent = error instanceof ApiError ? error.message : String(error);
  errorBox.hidden = false;
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(form);
  errorBox.hidden = true;
  const file = form.elements.file.files[0];
  if (!form.elements.provider.value || !form.elements.version.value.trim() || !file) {
    fail('请选择 CA 服务商、填写版本并选择安装包。');
    return;
  }
  if (file.size > maxSize) {
    fail('安装包过大。');
    return;
  }
  const data = new FormData();
  data.append('provider', form.elements.provider.value);
  data.append('version', form.elements.version.value.trim());
  if (form.elements.name.value.trim()) {
    data.append('name', form.elements.name.value.trim());
  }
  data.append('file', file, file.name);
  const buttons = form.querySelectorAll('button');
  buttons.forEach((b) => { b.disabled = true; });
  try {
    await upload(data);
    window.location.reload();
  } catch (e) {
    fail(e);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
});

for (const button of page.querySelectorAll('[data-retire]')) {
  button.addEventListener('click', async () => {
    if (!confirmAction('停用后该版本不再提供下载，安装包文件将被删除且不能恢复。确认停用吗？')) {
      return;
    }
    try {
      await api('POST', '/api/admin/drivers/' + encodeURIComponent(button.closest('tr').dataset.packageId) + '/retire');
      window.location.reload();
    } catch (e) {
      showError(page, e);
    }
  });
}
