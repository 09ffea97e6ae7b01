/* The book's page behaviour on top of the themes (see bookkit/reader.py).
 *
 * Loaded with `defer` from <head>: it runs once the page is parsed, before the
 * theme's own deferred scripts at the end of <body> (Bootstrap's tooltips, the
 * sidebar dialogs), and its DOMContentLoaded handler runs after
 * sphinx-togglebutton has put its buttons on the folded blocks.
 */
(() => {
  // Interface strings that the themes' templates write in English.
  const CHINESE = {
    'Toggle primary sidebar': '全书目录',
    'Toggle secondary sidebar': '本页目录',
    'Main': '全书目录',
    'Page': '本页目录',
  };
  for (const attribute of ['title', 'aria-label']) {
    document.querySelectorAll(`[${attribute}]`).forEach((element) => {
      const chinese = CHINESE[element.getAttribute(attribute)];
      if (chinese) element.setAttribute(attribute, chinese);
    });
  }

  // Accessible names that match what is on screen: the search field's name is its
  // visible text ("搜索 Ctrl+K"), the colour-mode button's is its aria-label alone
  // (not also the titles of its three icons), a folded cell's (the setup cell) is its
  // visible prompt, and the sidebar's chevrons name the chapter whose sections they
  // show or hide.
  document.querySelectorAll('.search-button-field[aria-label]').forEach((b) => b.removeAttribute('aria-label'));
  document.querySelectorAll('summary[aria-label="Toggle hidden content"]').forEach((s) => s.removeAttribute('aria-label'));
  document.querySelectorAll('.theme-switch-button i[title]').forEach((icon) => icon.removeAttribute('title'));
  document.querySelectorAll('.bd-sidenav details > summary').forEach((summary) => {
    const chapter = summary.closest('ul')?.previousElementSibling;
    const name = chapter?.classList.contains('caption') ? chapter.textContent.trim() : '本章';
    summary.setAttribute('aria-label', `${name}：各节`);
  });

  // Tooltips: none on touch screens, where a tap leaves them stuck over the
  // icons; elsewhere a click hides the tooltip of what was clicked.
  const hideTooltip = (element) => window.bootstrap?.Tooltip.getInstance(element)?.hide();
  const touch = window.matchMedia('(hover: none)').matches;
  document.querySelectorAll('[data-bs-toggle="tooltip"]').forEach((element) => {
    if (touch) element.removeAttribute('data-bs-toggle');
    else element.addEventListener('click', () => hideTooltip(element));
  });

  // The sidebar buttons (pydata-sphinx-theme #2451): the theme listens only on
  // the first .primary-toggle and .secondary-toggle of the page, hidden ones in
  // its top bar, so a click on any other one is passed on to that first one.
  document.addEventListener('click', (event) => {
    for (const kind of ['primary-toggle', 'secondary-toggle']) {
      const clicked = event.target.closest(`.${kind}`);
      const bound = document.querySelector(`.${kind}`);
      if (clicked && bound && clicked !== bound) {
        event.preventDefault();
        event.stopImmediatePropagation();
        hideTooltip(clicked);
        bound.click();
      }
    }
  }, true);

  // The whole-book PDF is offered only where the site holds it (_static/book-pdf.js).
  if (!window.bookkitPdf) {
    document.querySelectorAll('.btn-download-book-pdf-button').forEach((link) => link.closest('li').remove());
  }

  // A plot opens on its own when tapped, where it can be zoomed.
  document.querySelectorAll('div.cell_output img').forEach((image) => {
    if (image.closest('a')) return;
    const link = document.createElement('a');
    link.href = image.getAttribute('src');
    link.className = 'bookkit-zoom';
    link.title = '单独打开这张图（可放大）';
    image.replaceWith(link);
    link.appendChild(image);
  });

  // The theme shows "back to top" while the reader scrolls up; it goes away
  // once scrolling stops, so that it never rests on the text.
  const backToTop = document.getElementById('pst-back-to-top');
  let idle;
  window.addEventListener('scroll', () => {
    clearTimeout(idle);
    idle = setTimeout(() => { if (backToTop) backToTop.style.display = 'none'; }, 2500);
  }, { passive: true });

  // A display formula or table that scrolls sideways can be scrolled with the
  // keyboard too: it is a tab stop while (and only while) it overflows. Its
  // edges where more lies are marked (bookkit.css fades them). Checked again when
  // the window changes size, a folded block opens or the box is scrolled.
  const SCROLLERS = 'div.math mjx-container, div.cell_output div.output.text_html, .pst-scrollable-table-container';
  const markEdges = (element) => {
    const hidden = element.scrollWidth - element.clientWidth;
    element.classList.toggle('scrolls-left', hidden > 1 && element.scrollLeft > 1);
    element.classList.toggle('scrolls-right', hidden > 1 && element.scrollLeft < hidden - 1);
  };
  const updateScrollers = () => document.querySelectorAll(SCROLLERS).forEach((element) => {
    if (element.scrollWidth > element.clientWidth + 1) element.tabIndex = 0;
    else element.removeAttribute('tabindex');
    markEdges(element);
  });
  document.addEventListener('scroll', (event) => {
    if (event.target.matches?.(SCROLLERS)) markEdges(event.target);
  }, { capture: true, passive: true });
  window.addEventListener('load', () => Promise.resolve(window.MathJax?.startup?.promise).then(updateScrollers));
  window.addEventListener('resize', updateScrollers);
  document.addEventListener('click', (event) => {
    if (event.target.closest('.admonition-title')) setTimeout(updateScrollers);
  });

  document.addEventListener('DOMContentLoaded', () => {
    // Fold buttons are named after what they open: "简答（练习 2.3.1）".
    document.querySelectorAll('.admonition-title > .toggle-button').forEach((button) => {
      const title = button.parentElement.cloneNode(true);
      title.querySelector('.toggle-button').remove();
      const heading = button.closest('section[id]')?.querySelector(':scope > h2, :scope > h1');
      const where = heading ? `（${heading.textContent.replace('#', '').trim()}）` : '';
      button.setAttribute('aria-label', title.textContent.trim() + where);
    });
  });
})();
