// 区划管理: add and rename regions, open or close CA business (PUT /api/admin/regions/{code}).
import { api, dialog, onSubmit, toast, value } from './cagate.js';

const element = document.querySelector('[data-region-dialog]');
const form = element.querySelector('form');
const open = dialog(element);

document.querySelector('[data-region-new]').addEventListener('click', () => {
  form.reset();
  form.elements.code.readOnly = false;
  element.querySelector('[data-dialog-title]').textContent = '新增区划';
  open();
});

for (const button of document.querySelectorAll('[data-region-edit]')) {
  button.addEventListener('click', () => {
    const row = button.closest('tr');
    form.reset();
    form.elements.code.value = row.dataset.code;
    form.elements.code.readOnly = true;
    form.elements.name.value = row.dataset.name;
    form.elements.caEnabled.checked = row.dataset.ca === 'true';
    element.querySelector('[data-dialog-title]').textContent = '编辑区划';
    open();
  });
}

for (const button of document.querySelectorAll('[data-region-toggle]')) {
  button.addEventListener('click', async () => {
    const row = button.closest('tr');
    try {
      await api('PUT', '/api/admin/regions/' + encodeURIComponent(row.dataset.code), {
        name: row.dataset.name,
        caEnabled: row.dataset.ca !== 'true',
      });
      window.location.reload();
    } catch (e) {
      toast(e.message);
    }
  });
}

onSubmit(form, async () => {
  const code = value(form, 'code') || '';
  await api('PUT', '/api/admin/regions/' + encodeURIComponent(code), {
    name: value(form, 'name'),
    caEnabled: form.elements.caEnabled.checked,
  });
  window.location.reload();
});
