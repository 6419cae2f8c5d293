// CA 登录 (seed §3): CA服务商 from GET /api/ca/providers (enabled ones), PIN码, 检测 CA 并登录: agent check,
// LOGIN challenge, the agent signs (the PIN goes to the agent only), POST /api/ca/login, then 应用中心.
// Every agent error links to CA 检测 for the chosen provider (with 下载驱动 when the driver is missing).
import { afterLogin, api, clearError, showError } from './cagate.js';
import { checkUrl, downloadUrl, showIfOutdated, showSignFailure, signChallenge } from './agent-client.js';

const form = document.querySelector('[data-ca-login]');

async function loadProviders() {
  const select = form.elements.provider;
  try {
    const providers = await api('GET', '/api/ca/providers');
    for (const provider of providers.filter((p) => p.enabled)) {
      const option = document.createElement('option');
      option.value = provider.code;
      option.textContent = provider.name;
      select.appendChild(option);
    }
    if (select.options.length === 2) {
      select.selectedIndex = 1;
    }
  } catch (e) {
    showError(form, e);
  }
}

if (form) {
  const driverMissing = form.querySelector('[data-driver-missing]');
  const driverHelp = form.querySelector('[data-driver-help]');
  const updateDownload = () => {
    for (const link of form.querySelectorAll('[data-download]')) {
      link.href = downloadUrl(form.elements.provider.value);
    }
    for (const link of form.querySelectorAll('[data-ca-check]')) {
      link.href = checkUrl(form.elements.provider.value);
    }
  };
  form.elements.provider.addEventListener('change', updateDownload);
  loadProviders();
  // 请更新驱动 once the user turns to CA 登录 (not on every visit of the login page: asking the agent may
  // make the browser ask about local network access, which a password user should not see).
  form.addEventListener('focusin', () => {
    updateDownload();
    showIfOutdated(form.querySelector('[data-driver-outdated]'));
  }, { once: true });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError(form);
    driverMissing.hidden = true;
    driverHelp.hidden = true;
    const provider = form.elements.provider.value;
    const pin = form.elements.pin.value;
    if (!provider) {
      showError(form, '请选择 CA 服务商。');
      return;
    }
    if (!pin) {
      showError(form, '请输入 PIN 码。');
      return;
    }
    const button = form.querySelector('button[type="submit"]');
    button.disabled = true;
    try {
      const assertion = await signChallenge('LOGIN', provider, pin);
      form.elements.pin.value = '';
      const answer = await api('POST', '/api/ca/login', assertion);
      window.location.assign(afterLogin(answer.redirect || '/apps'));
    } catch (e) {
      showSignFailure(form, e, updateDownload);
    } finally {
      button.disabled = false;
    }
  });
}
