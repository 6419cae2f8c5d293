// 账号登录: POST /api/auth/password, then 应用中心 (or the authorization request that sent the user here).
import { afterLogin, api, onSubmit, showError, value } from './cagate.js';

const form = document.querySelector('[data-password-login]');
if (form) {
  onSubmit(form, async () => {
    const loginName = value(form, 'loginName');
    const password = form.elements.password.value;
    if (!loginName || !password) {
      showError(form, '请输入账号和密码。');
      return;
    }
    await api('POST', '/api/auth/password', { loginName, password });
    window.location.assign(afterLogin('/apps'));
  });
}
