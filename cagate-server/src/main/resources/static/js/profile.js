// 账户管理: change the own name and password.
import { api, onSubmit, showError, toast, value } from './cagate.js';

const profile = document.querySelector('[data-profile-form]');
onSubmit(profile, async () => {
  await api('PUT', '/api/me', { displayName: value(profile, 'displayName') });
  window.location.reload();
});

const password = document.querySelector('[data-password-form]');
onSubmit(password, async () => {
  const newPassword = password.elements.newPassword.value;
  if (newPassword !== password.elements.confirmPassword.value) {
    showError(password, '两次输入的新密码不一致。');
    return;
  }
  await api('PUT', '/api/me/password', { currentPassword: password.elements.currentPassword.value, newPassword });
  password.reset();
  toast('密码已修改。');
});
