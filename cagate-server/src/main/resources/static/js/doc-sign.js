// 电子签章 › 签章: choose a PDF, see its pages (POST /api/pdf/preview renders one at a time), place the
// organisation's seal (click or drag; the place goes to prepare in PDF points), then: agent check →
// POST /api/pdf/sign/prepare (the PDF with an empty signature and its digests) → the agent's
// POST /v1/sign-document (the PIN goes to the agent only) → POST /api/pdf/sign/complete → download.
import { clearError, showError, upload } from './cagate.js';
import { checkAgent, checkUrl, downloadUrl, showIfOutdated, showSignFailure, signDocument } from './agent-client.js';

const MM = 72 / 25.4; // PDF points per millimetre
const page = document.querySelector('[data-doc-sign]');
const maxBytes = Number(page.dataset.maxPdfMb) * 1024 * 1024;
const fileInput = page.querySelector('[data-pdf-file]');
const fileError = page.querySelector('[data-file-error]');
const pages = page.querySelector('[data-pages]');
const view = page.querySelector('[data-page-view]');
const image = page.querySelector('[data-page-image]');
const mark = page.querySelector('[data-seal-mark]');
const sizeSelect = page.querySelector('[data-seal-size]');
const placementText = page.querySelector('[data-placement]');
const signSection = page.querySelector('[data-sign-section]');
const form = page.querySelector('[data-sign-form]');
const driverMissing = form.querySelector('[data-driver-missing]');
const driverHelp = form.querySelector('[data-driver-help]');
const result = page.querySelector('[data-result]');

const state = { file: null, pages: 0, page: 1, view: null, seal: null, resultUrl: null };

function providerCode() {
  return form.elements.provider.value;
}

function updateLinks() {
  for (const link of page.querySelectorAll('[data-download]')) {
    link.href = downloadUrl(providerCode());
  }
  for (const link of page.querySelectorAll('[data-ca-check]')) {
    link.href = checkUrl(providerCode());
  }
}

function fileProblem(text) {
  fileError.textContent = text;
  fileError.hidden = !text;
}

/** Seal size in PDF points. */
function sealPoints() {
  return Number(sizeSelect ? sizeSelect.value : 40) * MM;
}

/** Image pixels (as shown) per PDF point. */
function shownScale() {
  return image.clientWidth / state.view.width;
}

/** Puts the seal's centre at (cx, cy) points from the page's top-left, kept on the page. */
function placeSeal(cx, cy) {
  const size = sealPoints();
  const left = Math.min(Math.max(cx - size / 2, 0), state.view.width - size);
  const top = Math.min(Math.max(cy - size / 2, 0), state.view.height - size);
  state.seal = { left, top, size };
  drawSeal();
}

function drawSeal() {
  if (!mark || !state.seal) {
    return;
  }
  const s = shownScale();
  mark.style.left = state.seal.left * s + 'px';
  mark.style.top = state.seal.top * s + 'px';
  mark.style.width = state.seal.size * s + 'px';
  mark.style.height = state.seal.size * s + 'px';
  mark.hidden = false;
  const p = placement();
  mark.dataset.page = String(p.page);
  mark.dataset.x = p.x.toFixed(1);
  mark.dataset.y = p.y.toFixed(1);
  placementText.textContent = '印章位置：第 ' + p.page + ' 页，距页面左边 ' + (p.x / MM).toFixed(0) + ' 毫米、下边 '
    + (p.y / MM).toFixed(0) + ' 毫米。点击页面或拖动印章可重新放置。';
}

/** The seal's place as prepare takes it: points from the (unrotated) crop box's lower-left corner. */
function placement() {
  const { left, top, size } = state.seal;
  return { page: state.page, x: left, y: state.view.height - top - size, width: size, height: size };
}

async function showPage(number) {
  const data = new FormData();
  data.append('file', state.file);
  data.append('page', String(number));
  const answer = await upload('POST', '/api/pdf/preview', data);
  const samePage = state.view && state.page === answer.page;
  state.pages = answer.pages;
  state.page = answer.page;
  state.view = answer;
  await new Promise((resolve) => {
    image.onload = resolve;
    image.onerror = resolve;
    image.src = 'data:image/png;base64,' + answer.image;
  });
  page.querySelector('[data-page-number]').textContent = String(answer.page);
  page.querySelector('[data-page-count]').textContent = String(answer.pages);
  page.querySelector('[data-page-prev]').disabled = answer.page <= 1;
  page.querySelector('[data-page-next]').disabled = answer.page >= answer.pages;
  page.querySelector('[data-rotation]').hidden = !answer.rotation;
  view.dataset.page = String(answer.page);
  if (mark && (!samePage || !state.seal)) {
    // Lower right, where a seal usually goes, until the user places it.
    const size = sealPoints();
    placeSeal(answer.width - size / 2 - 50, answer.height - size / 2 - 80);
  } else {
    drawSeal();
  }
}

fileInput.addEventListener('change', async () => {
  fileProblem('');
  result.hidden = true;
  const file = fileInput.files[0];
  pages.hidden = true;
  signSection.hidden = true;
  state.file = null;
  state.view = null;
  state.seal = null;
  if (!file) {
    return;
  }
  if (file.size > maxBytes) {
    fileProblem('PDF 文件超过 ' + page.dataset.maxPdfMb + ' MB，无法签章。请压缩或拆分后再上传。');
    return;
  }
  state.file = file;
  try {
    pages.hidden = false;
    await showPage(1);
    signSection.hidden = false;
    showIfOutdated(form.querySelector('[data-driver-outdated]'));
  } catch (e) {
    pages.hidden = true;
    state.file = null;
    fileProblem(e.message);
  }
});

page.querySelector('[data-page-prev]').addEventListener('click', () => showPage(state.page - 1).catch((e) => fileProblem(e.message)));
page.querySelector('[data-page-next]').addEventListener('click', () => showPage(state.page + 1).catch((e) => fileProblem(e.message)));
if (sizeSelect) {
  sizeSelect.addEventListener('change', () => {
    if (state.seal) {
      placeSeal(state.seal.left + state.seal.size / 2, state.seal.top + state.seal.size / 2);
    }
  });
}
window.addEventListener('resize', drawSeal);

function pointOf(event) {
  const box = image.getBoundingClientRect();
  const s = shownScale();
  return { x: (event.clientX - box.left) / s, y: (event.clientY - box.top) / s };
}

if (mark) {
  image.addEventListener('click', (event) => {
    const p = pointOf(event);
    placeSeal(p.x, p.y);
  });
  let drag = null;
  mark.addEventListener('pointerdown', (event) => {
    event.preventDefault();
    const p = pointOf(event);
    drag = { dx: p.x - (state.seal.left + state.seal.size / 2), dy: p.y - (state.seal.top + state.seal.size / 2) };
    mark.setPointerCapture(event.pointerId);
  });
  mark.addEventListener('pointermove', (event) => {
    if (drag) {
      const p = pointOf(event);
      placeSeal(p.x - drag.dx, p.y - drag.dy);
    }
  });
  mark.addEventListener('pointerup', () => { drag = null; });
}

form.elements.provider.addEventListener('change', updateLinks);
updateLinks();

function base64Bytes(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

function signedName(name) {
  return name.replace(/\.pdf$/i, '') + '（已签章）.pdf';
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearError(form);
  driverMissing.hidden = true;
  driverHelp.hidden = true;
  result.hidden = true;
  const provider = providerCode();
  const pin = form.elements.pin.value;
  if (!state.file) {
    showError(form, '请先选择要签章的 PDF 文件。');
    return;
  }
  if (!provider) {
    showError(form, '请选择 CA 服务商。');
    return;
  }
  if (!pin) {
    showError(form, '请输入 PIN 码。');
    return;
  }
  const buttons = form.querySelectorAll('button');
  buttons.forEach((b) => { b.disabled = true; });
  const name = state.file.name;
  try {
    // The agent and the key first: no upload when the driver is missing.
    await checkAgent(provider);
    const data = new FormData();
    data.append('file', state.file);
    if (mark && state.seal) {
      const p = placement();
      for (const key of ['page', 'x', 'y', 'width', 'height']) {
        data.append(key, String(p[key]));
      }
    }
    const prepared = await upload('POST', '/api/pdf/sign/prepare', data);
    const signed = await signDocument(provider, pin, name, prepared.sha256, prepared.sm3);
    form.elements.pin.value = '';
    const complete = new FormData();
    complete.append('file', new Blob([base64Bytes(prepared.document)], { type: 'application/pdf' }), name);
    complete.append('signature', signed.signature);
    complete.append('documentName', name);
    const answer = await upload('POST', '/api/pdf/sign/complete', complete);
    if (state.resultUrl) {
      URL.revokeObjectURL(state.resultUrl);
    }
    state.resultUrl = URL.createObjectURL(answer.blob);
    const link = result.querySelector('[data-result-download]');
    link.href = state.resultUrl;
    link.download = signedName(name);
    result.querySelector('[data-result-name]').textContent = name;
    result.hidden = false;
  } catch (e) {
    showSignFailure(form, e, updateLinks);
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
});
