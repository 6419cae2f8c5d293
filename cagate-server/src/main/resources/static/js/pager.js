// 共有N条 < 1 > 10条/页 Go: moves through a server-rendered list by changing page and size in the URL.
function go(page, size) {
  const url = new URL(window.location.href);
  url.searchParams.set('page', String(page));
  if (size) {
    url.searchParams.set('size', String(size));
  }
  window.location.assign(url.toString());
}

for (const pager of document.querySelectorAll('[data-pager]')) {
  const page = Number(pager.dataset.page);
  const pages = Number(pager.dataset.pages);
  const size = Number(pager.dataset.size);
  pager.querySelector('[data-page-prev]').addEventListener('click', () => go(Math.max(1, page - 1), size));
  pager.querySelector('[data-page-next]').addEventListener('click', () => go(Math.min(pages, page + 1), size));
  pager.querySelector('[data-page-size]').addEventListener('change', (e) => go(1, e.target.value));
  const input = pager.querySelector('[data-page-input]');
  const jump = () => {
    const n = Math.trunc(Number(input.value));
    if (n >= 1 && n <= pages) {
      go(n, size);
    }
  };
  pager.querySelector('[data-page-go]').addEventListener('click', jump);
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { jump(); } });
}
