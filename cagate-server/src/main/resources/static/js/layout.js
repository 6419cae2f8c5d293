// Header behaviour shared by every signed-in page: 退出.
import { api, toast } from './cagate.js';

for (const button of document.querySelectorAll('[data-logout]')) {
  button.addEventListener('click', async () => {
    try {
      await api('POST', '/api/auth/logout');
      window.location.assign('/login');
    } catch (e) {
      toast(e.message);
    }
  });
}
