// Helpers the editor runs in the application's isolated world of the preview page.
// Page scripts are disabled; this world still runs, and shares the page's DOM.
window.articlePreview = window.articlePreview || (function () {
  "use strict";

  function syncAttributes(target, source) {
    for (const attribute of Array.from(target.attributes)) {
      if (!source.hasAttribute(attribute.name)) {
        target.removeAttribute(attribute.name);
      }
    }
    for (const attribute of Array.from(source.attributes)) {
      if (target.getAttribute(attribute.name) !== attribute.value) {
        target.setAttribute(attribute.name, attribute.value);
      }
    }
  }

  function patch(current, next) {
    if (current.nodeType === Node.ELEMENT_NODE && next.nodeType === Node.ELEMENT_NODE
        && current.nodeName === next.nodeName) {
      syncAttributes(current, next);
      patchChildren(current, next);
    } else if (current.nodeType === next.nodeType && current.nodeType !== Node.ELEMENT_NODE) {
      current.nodeValue = next.nodeValue;
    } else {
      current.parentNode.replaceChild(document.importNode(next, true), current);
    }
  }

  // Touch only what changed, so images stay loaded and the reader's place stays put.
  function patchChildren(target, source) {
    const have = Array.from(target.childNodes);
    const want = Array.from(source.childNodes);
    let start = 0;
    while (start < have.length && start < want.length && have[start].isEqualNode(want[start])) {
      start += 1;
    }
    let haveEnd = have.length;
    let wantEnd = want.length;
    while (haveEnd > start && wantEnd > start && have[haveEnd - 1].isEqualNode(want[wantEnd - 1])) {
      haveEnd -= 1;
      wantEnd -= 1;
    }
    const anchor = haveEnd < have.length ? have[haveEnd] : null;
    const common = Math.min(haveEnd - start, wantEnd - start);
    for (let k = 0; k < common; k += 1) {
      patch(have[start + k], want[start + k]);
    }
    for (let k = start + common; k < haveEnd; k += 1) {
      target.removeChild(have[k]);
    }
    for (let k = start + common; k < wantEnd; k += 1) {
      target.insertBefore(document.importNode(want[k], true), anchor);
    }
  }

  function update(html) {
    const fresh = new DOMParser().parseFromString(html, "text/html");
    if (!document.body || !fresh.body) {
      return "reload";
    }
    syncAttributes(document.documentElement, fresh.documentElement);
    syncAttributes(document.body, fresh.body);
    patchChildren(document.body, fresh.body);
    if (document.title !== fresh.title) {
      document.title = fresh.title;
    }
    return "ok";
  }

  const BODY_SELECTORS = [
    "#article-body", "[data-article-body]", ".article-body", ".body", "article > section", "article > main", "article", "main",
  ];

  function bodyBlocks() {
    let container = document.body;
    for (const selector of BODY_SELECTORS) {
      const found = document.querySelector(selector);
      if (found) {
        container = found;
        break;
      }
    }
    if (!container) {
      return [];
    }
    return Array.from(container.children).filter(function (element) {
      return !element.matches("header, footer, .footnote, .footnotes, .article-header, .byline, script, style");
    });
  }

  function scrollToBlock(index, count) {
    const blocks = bodyBlocks();
    if (!blocks.length) {
      return -1;
    }
    let target = index;
    if (blocks.length !== count) {
      // The split of the source missed something: fall back to the same relative position.
      target = count > 1 ? Math.round(index * (blocks.length - 1) / (count - 1)) : 0;
    }
    target = Math.max(0, Math.min(blocks.length - 1, target));
    const box = blocks[target].getBoundingClientRect();
    const view = window.innerHeight || document.documentElement.clientHeight;
    if (box.top >= 0 && box.bottom <= view) {
      return target;
    }
    const top = Math.max(0, window.scrollY + box.top - view / 4);
    window.scrollTo({ top: top, behavior: "smooth" });
    return target;
  }

  return { update: update, scrollToBlock: scrollToBlock, bodyBlocks: bodyBlocks };
})();
