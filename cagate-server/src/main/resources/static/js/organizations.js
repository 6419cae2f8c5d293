// 单位管理: add and edit organisations.
import { api, dialog, onSubmit, value } from './cagate.js';

const element = document.querySelector('[data-organization-dialog]');
const form = element.querySelector('form');
const open = dialog(element);
let editing = null;

document.querySelector('[data-organization-new]').addEventListener('click', () => {
  editing = null;
  form.reset();
  element.querySelector('[data-dialog-title]').textContent = '新增单位';
  open();
});

for (const button of document.querySelectorAll('[data-organization-edit]')) {
  button.addEventListener('click', () => {
    const row = button.closest('tr');
    editing = row.dataset.id;
    form.reset();
    form.elements.name.value = row.dataset.name;
    form.elements.regionCode.value = row.dataset.region;
    element.querySelector('[data-dialog-title]').textContent = '编辑单位';
    open();
  });
}

onSubmit(form, async () => {
  const body = { name: value(form, 'name'), regionCode: value(form, 'regionCode') };
  if (editing) {
    await api('PUT', '/api/admin/organizations/' + editing, body);
  } else {
    await api('POST', '/api/admin/organizations', body);
  }
  window.location.reload();
});
