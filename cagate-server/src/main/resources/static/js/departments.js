// 部门管理: add, rename and delete departments (ORG_ADMIN).
import { api, confirmAction, dialog, onSubmit, toast, value } from './cagate.js';

const element = document.querySelector('[data-department-dialog]');
if (element) {
  const open = dialog(element);
  const form = element.querySelector('form');
  let editing = null;
  document.querySelector('[data-department-new]').addEventListener('click', () => {
    editing = null;
    element.querySelector('[data-dialog-title]').textContent = '新增部门';
    form.reset();
    open();
  });
  for (const button of document.querySelectorAll('[data-department-rename]')) {
    button.addEventListener('click', () => {
      const row = button.closest('tr');
      editing = row.dataset.id;
      element.querySelector('[data-dialog-title]').textContent = '重命名部门';
      form.elements.name.value = row.dataset.name;
      open();
    });
  }
  for (const button of document.querySelectorAll('[data-department-delete]')) {
    button.addEventListener('click', async () => {
      const row = button.closest('tr');
      if (!confirmAction('确认要删除部门“' + row.dataset.name + '”吗？')) {
        return;
      }
      try {
        await api('DELETE', '/api/departments/' + row.dataset.id);
        window.location.reload();
      } catch (e) {
        toast(e.message);
      }
    });
  }
  onSubmit(form, async () => {
    const body = { name: value(form, 'name') };
    if (editing) {
      await api('PUT', '/api/departments/' + editing, body);
    } else {
      await api('POST', '/api/departments', body);
    }
    window.location.reload();
  });
}
