// The page side of the JSON API: CSRF header from the XSRF-TOKEN cookie, Chinese problem details,
// and small helpers for forms and dialogs. Every page script imports this module.

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.detail) || '请求失败（' + status + '）');
    this.status = status;
    this.code = problem && problem.code;
    this.problem = problem || null;
  }
}

function cookie(name) {
  const prefix = name + '=';
  for (const part of document.cookie.split(';')) {
    const value = part.trim();
    if (value.startsWith(prefix)) {
      return decodeURIComponent(value.substring(prefix.length));
    }
  }
  return null;
}

async function csrfToken() {
  let token = cookie('XSRF-TOKEN');
  if (!token) {
    const res = await fetch('/api/auth/csrf', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    token = res.ok ? (await res.json()).token : null;
  }
  return token;
}

/** Calls the API; resolves with the JSON answer (null for 204), rejects with an ApiError. */
export async function api(method, url, body) {
  const headers = { Accept: 'application/json, application/problem+json', 'Accept-Language': 'zh-CN' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  if (method !== 'GET' && method !== 'HEAD') {
    const token = await csrfToken();
    if (token) {
      headers['X-XSRF-TOKEN'] = token;
    }
  }
  let res;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, { detail: '无法连接服务器，请检查网络后重试。' });
  }
  const type = res.headers.get('Content-Type') || '';
  const data = res.status === 204 ? null : type.includes('json') ? await res.json() : null;
  if (!res.ok) {
    if (res.status === 401 && data && data.code === 'UNAUTHENTICATED') {
      window.location.assign('/login');
    }
    throw new ApiError(res.status, data);
  }
  return data;
}

/**
 * Sends a multipart form (FormData: files and fields) with the CSRF header. Resolves with the JSON answer,
 * or with {blob, fileName} when the answer is a file; rejects with an ApiError like api().
 */
export async function upload(method, url, formData) {
  const headers = { Accept: 'application/json, application/problem+json, application/pdf', 'Accept-Language': 'zh-CN' };
  const token = await csrfToken();
  if (token) {
    headers['X-XSRF-TOKEN'] = token;
  }
  let res;
  try {
    res = await fetch(url, { method, headers, credentials: 'same-origin', body: formData });
  } catch (e) {
    throw new ApiError(0, { detail: '无法连接服务器，请检查网络后重试。' });
  }
  const type = res.headers.get('Content-Type') || '';
  if (!res.ok) {
    const data = type.includes('json') ? await res.json() : null;
    if (res.status === 401 && data && data.code === 'UNAUTHENTICATED') {
      window.location.assign('/login');
    }
    throw new ApiError(res.status, data);
  }
  if (type.includes('json')) {
    return res.json();
  }
  const disposition = res.headers.get('Content-Disposition') || '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  return { blob: await res.blob(), fileName: star ? decodeURIComponent(star[1]) : null };
}

/** The text to show for an error: the problem's detail, then each field with its label. */
export function describe(error, form) {
  const problem = error.problem;
  if (!problem || !Array.isArray(problem.errors) || problem.errors.length === 0) {
    return error.message;
  }
  const parts = problem.errors.map((e) => {
    const field = form && form.elements[e.field];
    const input = field && (field.length !== undefined && !field.tagName ? field[0] : field);
    const label = input && input.closest('label');
    const name = label ? label.firstChild.textContent.trim().replace(/[:：]$/, '') : '';
    return name ? name + '：' + e.message : e.message;
  });
  return problem.detail + ' ' + parts.join('；');
}

export function showError(form, error) {
  const box = form.querySelector('[data-error]');
  const text = typeof error === 'string' ? error : describe(error, form);
  if (box) {
    box.textContent = text;
    box.hidden = false;
  } else {
    toast(text);
  }
}

export function clearError(form) {
  const box = form.querySelector('[data-error]');
  if (box) {
    box.hidden = true;
    box.textContent = '';
  }
}

/** Shows {@code text} as a toast on the next page load (the page reloads after a change). */
export function flash(text) {
  try {
    sessionStorage.setItem('cagate.flash', text);
  } catch (e) {
    // storage refused: the reloaded list shows the change anyway
  }
}

function showFlash() {
  let text = null;
  try {
    text = sessionStorage.getItem('cagate.flash');
    sessionStorage.removeItem('cagate.flash');
  } catch (e) {
    return;
  }
  if (text) {
    toast(text);
  }
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', showFlash);
} else {
  showFlash();
}

export function toast(text) {
  const box = document.querySelector('[data-toast]');
  if (!box) {
    window.alert(text);
    return;
  }
  box.textContent = text;
  box.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { box.hidden = true; }, 4000);
}

/** Wires a dialog's 取消 button and returns a function that opens it. */
export function dialog(element) {
  element.querySelector('[data-cancel]').addEventListener('click', () => element.close());
  return () => {
    clearError(element.querySelector('form'));
    element.showModal();
  };
}

/** Runs an action for a form submit: disables the form meanwhile and shows any error in it. */
export function onSubmit(form, action) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearError(form);
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    try {
      await action(form);
    } catch (e) {
      showError(form, e);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
    }
  });
}

/** A form field's trimmed value, or null when empty. */
export function value(form, name) {
  const field = form.elements[name];
  const v = field ? String(field.value).trim() : '';
  return v === '' ? null : v;
}

export function confirmAction(text) {
  return window.confirm(text);
}

/**
 * Where to go after a login: the authorization request of an application that sent the user to 登录
 * (data-continue, set by the server only for /oauth2/authorize on this origin), else the given page.
 */
export function afterLogin(fallback) {
  const next = document.querySelector('[data-continue]')?.dataset.continue;
  return next && next.startsWith('/oauth2/authorize?') ? next : fallback;
}
