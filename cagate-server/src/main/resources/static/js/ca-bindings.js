// CA管理 › CA绑定与解绑: 绑定CA (agent check, BIND challenge, agent signs, server binds), 解除绑定,
// 绑定操作说明. The PIN goes to the agent only. Every agent error links to CA 检测 for the chosen provider.
import { api, clearError, dialog, flash, showError } from './cagate.js';
import { checkUrl, downloadUrl, showIfOutdated, showSignFailure, signChallenge } from './agent-client.js';

const page = document.querySelector('[data-ca-bindings]');
const bindDialog = page.querySelector('[data-bind-dialog]');
const bindForm = bindDialog.querySelector('form');
const openBind = dialog(bindDialog);
const driverMissing = bindForm.querySelector('[data-driver-missing]');
const driverHelp = bindForm.querySelector('[data-driver-help]');

function providerCode() {
  return bindForm.elements.provider.value;
}

function updateDownloadLinks() {
  for (const link of bindForm.querySelectorAll('[data-download]')) {
    link.href = downloadUrl(providerCode());
  }
  for (const link of bindForm.querySelectorAll('[data-ca-check]')) {
    link.href = checkUrl(providerCode());
  }
}

page.querySelector('[data-help-toggle]').addEventListener('click', () => {
  const help = page.querySelector('[data-help]');
  help.hidden = !help.hidden;
});

page.querySelector('[data-bind-open]').addEventListener('click', () => {
  bindForm.elements.pin.value = '';
  driverMissing.hidden = true;
  driverHelp.hidden = true;
  updateDownloadLinks();
  openBind();
  // The user is about to use the key: 请更新驱动 when the agent is older than the platform's.
  showIfOutdated(bindForm.querySelector('[data-driver-outdated]'));
});

bindForm.elements.provider.addEventListener('change', updateDownloadLinks);
bindDialog.addEventListener('close', () => { bindForm.elements.pin.value = ''; });

bindForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(bindForm);
  driverMissing.hidden = true;
  driverHelp.hidden = true;
  const accountId = Number(bindForm.elements.accountId.value);
  const provider = providerCode();
  const pin = bindForm.elements.pin.value;
  if (!accountId || !provider) {
    showError(bindForm, '请选择姓名和 CA 服务商。');
    return;
  }
  if (!pin) {
    showError(bindForm, '请输入 PIN 码。');
    return;
  }
  const buttons = bindForm.querySelectorAll('button');
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const assertion = await signChallenge('BIND', provider, pin);
    bindForm.elements.pin.value = '';
    await api('POST', '/api/ca/bindings', Object.assign({ accountId }, assertion));
    bindDialog.close();
    flash('绑定成功');
    window.location.reload();
  } catch (e) {
    showSignFailure(bindForm, e, updateDownloadLinks);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
});

const unbindDialog = page.querySelector('[data-unbind-dialog]');
const unbindForm = unbindDialog.querySelector('form');
const openUnbind = dialog(unbindDialog);
let unbinding = null;
for (const button of page.querySelectorAll('[data-unbind]')) {
  button.addEventListener('click', () => {
    unbinding = button.closest('tr').dataset.bindingId;
    openUnbind();
  });
}
unbindForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(unbindForm);
  try {
    await api('DELETE', '/api/ca/bindings/' + encodeURIComponent(unbinding));
    unbindDialog.close();
    flash('解除绑定成功');
    window.location.reload();
  } catch (e) {
    showError(unbindForm, e);
  }
});
