// 应用管理: register and change applications (POST/PUT /api/admin/applications), new secrets shown once,
// and a new token-signing key (POST /api/admin/oidc/keys/rotate).
import { api, confirmAction, dialog, onSubmit, toast, value } from './cagate.js';

const element = document.querySelector('[data-app-dialog]');
const form = element.querySelector('form');
const open = dialog(element);
const secretDialog = document.querySelector('[data-secret-dialog]');
let editing = null;

function showSecret(app) {
  secretDialog.querySelector('[data-client-id]').textContent = app.clientId;
  secretDialog.querySelector('[data-client-secret]').textContent = app.clientSecret;
  secretDialog.addEventListener('close', () => window.location.reload(), { once: true });
  secretDialog.showModal();
}

function body() {
  return {
    name: value(form, 'name'),
    description: value(form, 'description') || '',
    homeUrl: value(form, 'homeUrl'),
    iconUrl: value(form, 'iconUrl') || null,
    redirectUris: form.elements.redirectUris.value.split(/\s+/).filter((u) => u),
    caLoginRequired: form.elements.caLoginRequired.checked,
    regions: [...form.elements.regions.selectedOptions].map((o) => o.value),
    roles: [...form.querySelectorAll('[name=roles]:checked')].map((c) => c.value),
    enabled: form.elements.enabled.checked,
  };
}

document.querySelector('[data-app-new]').addEventListener('click', () => {
  form.reset();
  editing = null;
  element.querySelector('[data-dialog-title]').textContent = '注册应用';
  open();
});

for (const button of document.querySelectorAll('[data-app-edit]')) {
  button.addEventListener('click', async () => {
    const id = button.closest('tr').dataset.id;
    const app = await api('GET', '/api/admin/applications/' + id);
    form.reset();
    editing = id;
    form.elements.name.value = app.name;
    form.elements.description.value = app.description;
    form.elements.homeUrl.value = app.homeUrl;
    form.elements.iconUrl.value = app.iconUrl || '';
    form.elements.redirectUris.value = app.redirectUris.join('\n');
    form.elements.caLoginRequired.checked = app.caLoginRequired;
    for (const option of form.elements.regions.options) {
      option.selected = app.regions.includes(option.value);
    }
    for (const check of form.querySelectorAll('[name=roles]')) {
      check.checked = app.roles.includes(check.value);
    }
    form.elements.enabled.checked = app.enabled;
    element.querySelector('[data-dialog-title]').textContent = '编辑应用';
    open();
  });
}

for (const button of document.querySelectorAll('[data-app-secret]')) {
  button.addEventListener('click', async () => {
    if (!(await confirmAction('重置后原密钥立即失效，确定重置？'))) {
      return;
    }
    try {
      showSecret(await api('POST', '/api/admin/applications/' + button.closest('tr').dataset.id + '/secret'));
    } catch (e) {
      toast(e.message);
    }
  });
}

document.querySelector('[data-key-rotate]').addEventListener('click', async () => {
  if (!(await confirmAction('新的密钥立即用于签发令牌，原密钥仍可验证已签发的令牌。确定更换？'))) {
    return;
  }
  try {
    const key = await api('POST', '/api/admin/oidc/keys/rotate');
    toast('已更换令牌签名密钥：' + key.kid);
  } catch (e) {
    toast(e.message);
  }
});

onSubmit(form, async () => {
  if (editing) {
    await api('PUT', '/api/admin/applications/' + editing, body());
    window.location.reload();
  } else {
    const app = await api('POST', '/api/admin/applications', body());
    element.close();
    showSecret(app);
  }
});
