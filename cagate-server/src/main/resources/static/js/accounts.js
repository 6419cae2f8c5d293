// 员工管理 and 平台运营 › 账户管理: create, edit, disable, enable, unlock, reset password.
import { api, confirmAction, dialog, onSubmit, toast, value } from './cagate.js';

const base = '/api/admin/accounts/';
const element = document.querySelector('[data-account-dialog]');
const form = element.querySelector('form');
const open = dialog(element);
const platform = document.querySelector('main').dataset.platform === 'true';
let editing = null;

function roles() {
  return Array.from(form.querySelectorAll('input[name="roles"]:checked')).map((box) => box.value);
}

function number(name) {
  const v = value(form, name);
  return v === null ? null : Number(v);
}

function showCreateFields(show) {
  for (const label of form.querySelectorAll('[data-create-only]')) {
    label.hidden = !show;
  }
}

document.querySelector('[data-account-new]').addEventListener('click', () => {
  editing = null;
  form.reset();
  showCreateFields(true);
  element.querySelector('[data-dialog-title]').textContent = platform ? '新增账户' : '新增员工';
  open();
});

for (const button of document.querySelectorAll('[data-account-edit]')) {
  button.addEventListener('click', () => {
    const row = button.closest('tr');
    editing = row.dataset;
    form.reset();
    showCreateFields(false);
    element.querySelector('[data-dialog-title]').textContent = '编辑';
    form.elements.displayName.value = row.dataset.name;
    if (form.elements.departmentId) {
      form.elements.departmentId.value = row.dataset.department || '';
    }
    const current = (row.dataset.roles || '').split(',');
    for (const box of form.querySelectorAll('input[name="roles"]')) {
      box.checked = current.includes(box.value);
    }
    open();
  });
}

onSubmit(form, async () => {
  const chosen = roles();
  if (editing) {
    const kept = (editing.roles || '').split(',').filter((r) => r === 'USER');
    await api('PUT', base + editing.id, {
      displayName: value(form, 'displayName'),
      departmentId: form.elements.departmentId ? number('departmentId') : (editing.department ? Number(editing.department) : null),
      roles: kept.concat(chosen),
    });
  } else {
    await api('POST', '/api/admin/accounts', {
      loginName: value(form, 'loginName'),
      displayName: value(form, 'displayName'),
      password: form.elements.password.value,
      organizationId: form.elements.organizationId ? number('organizationId') : null,
      departmentId: form.elements.departmentId ? number('departmentId') : null,
      roles: chosen, // the server adds USER for every member of an organisation
    });
  }
  window.location.reload();
});

const passwordDialog = document.querySelector('[data-password-dialog]');
const passwordForm = passwordDialog.querySelector('form');
const openPassword = dialog(passwordDialog);
let resetting = null;
for (const button of document.querySelectorAll('[data-account-password]')) {
  button.addEventListener('click', () => {
    resetting = button.closest('tr').dataset.id;
    passwordForm.reset();
    openPassword();
  });
}
onSubmit(passwordForm, async () => {
  await api('PUT', base + resetting + '/password', { password: passwordForm.elements.password.value });
  passwordDialog.close();
  toast('密码已重置。');
});

function action(selector, path, question) {
  for (const button of document.querySelectorAll(selector)) {
    button.addEventListener('click', async () => {
      const row = button.closest('tr');
      if (question && !confirmAction(question.replace('{name}', row.dataset.name))) {
        return;
      }
      try {
        await api('POST', base + row.dataset.id + path);
        window.location.reload();
      } catch (e) {
        toast(e.message);
      }
    });
  }
}

action('[data-account-disable]', '/disable', '确认要停用“{name}”的账号吗？停用后该账号立即退出登录。');
action('[data-account-enable]', '/enable', null);
action('[data-account-unlock]', '/unlock', null);
