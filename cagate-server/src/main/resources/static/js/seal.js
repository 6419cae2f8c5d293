// 电子签章 › 印章管理: PUT /api/seal with the chosen image; the server checks it and the page reloads.
import { flash, upload } from './cagate.js';

const page = document.querySelector('[data-seal-page]');
const form = page.querySelector('[data-seal-form]');
const error = page.querySelector('[data-error]');

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  const file = form.elements.image.files[0];
  if (!file) {
    error.textContent = '请选择要上传的印章图片。';
    error.hidden = false;
    return;
  }
  const data = new FormData();
  data.append('image', file);
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    await upload('PUT', '/api/seal', data);
    flash('印章已保存');
    window.location.reload();
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
});
