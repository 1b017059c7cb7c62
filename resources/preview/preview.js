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
    showLoaded(fresh);
    syncAttributes(document.documentElement, fresh.documentElement);
    syncAttributes(document.body, fresh.body);
    patchChildren(document.body, fresh.body);
    if (document.title !== fresh.title) {
      document.title = fresh.title;
    }
    wakeImages();
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

  // Replace only the blocks an edit changed: elements carry data-block="<id>"; ids never change meaning,
  // so an element whose id is still wanted stays untouched (images stay loaded, the reader's place stays).
  function patchBlocks(change) {
    const container = document.getElementById("article-body");
    if (!container) {
      return "reload";
    }
    const wanted = new Set(change.order);
    const groups = new Map();
    for (const element of Array.from(container.children)) {
      const id = element.getAttribute("data-block");
      if (id === null || !wanted.has(id)) {
        container.removeChild(element);
        continue;
      }
      if (!groups.has(id)) {
        groups.set(id, []);
      }
      groups.get(id).push(element);
    }
    for (const id of Object.keys(change.html)) {
      // Sent again (an earlier patch was still on its way): the new copy replaces the old one.
      for (const old of groups.get(id) || []) {
        container.removeChild(old);
      }
      const template = document.createElement("template");
      template.innerHTML = change.html[id];
      showLoaded(template.content);
      wakeImages(template.content);
      groups.set(id, Array.from(template.content.children));
    }
    let cursor = container.firstElementChild;
    for (const id of change.order) {
      const nodes = groups.get(id);
      if (!nodes) {
        return "reload";
      }
      for (const node of nodes) {
        if (node === cursor) {
          cursor = cursor.nextElementSibling;
        } else {
          container.insertBefore(document.createTextNode("\n"), cursor);
          container.insertBefore(node, cursor);
        }
      }
    }
    while (cursor) {
      const next = cursor.nextElementSibling;
      container.removeChild(cursor);
      cursor = next;
    }
    const header = document.getElementById("article-header");
    if (header && header.outerHTML !== change.header) {
      const template = document.createElement("template");
      template.innerHTML = change.header;
      if (template.content.firstElementChild) {
        header.replaceWith(template.content.firstElementChild);
      }
    }
    if (document.title !== change.title) {
      document.title = change.title;
    }
    if (document.documentElement.lang !== change.lang) {
      document.documentElement.lang = change.lang;
    }
    return "ok";
  }

  function scrollToId(id) {
    const target = document.querySelector('[data-block="' + CSS.escape(id) + '"]');
    if (!target) {
      return false;
    }
    const box = target.getBoundingClientRect();
    const view = window.innerHeight || document.documentElement.clientHeight;
    if (box.top >= 0 && box.bottom <= view) {
      return true;
    }
    window.scrollTo({ top: Math.max(0, window.scrollY + box.top - view / 4), behavior: "smooth" });
    return true;
  }

  // Pictures get their address only when they come near the view: a long article's photos are not all fetched
  // and decoded at once. The page's own scripts are off, so the engine's loading="lazy" does nothing here.
  let watcher = null;

  // A picture the page already shows keeps its address in new copies of its block: no blank frame, no flicker.
  function showLoaded(root) {
    const shown = new Set();
    for (const image of Array.from(document.images)) {
      if (image.hasAttribute("src")) {
        shown.add(image.getAttribute("src"));
      }
    }
    for (const image of Array.from(root.querySelectorAll("img[data-preview-src]"))) {
      const address = image.getAttribute("data-preview-src");
      if (shown.has(address)) {
        image.setAttribute("src", address);
        image.removeAttribute("data-preview-src");
      }
    }
  }

  // Watch the pictures still waiting for their address in `root` (the whole page unless told): a key press's
  // patch only looks through the blocks it brings, not the whole long page.
  function wakeImages(root) {
    const waiting = (root || document).querySelectorAll("img[data-preview-src]");
    if (waiting.length === 0) {
      return 0;
    }
    if (watcher === null) {
      watcher = new IntersectionObserver(function (entries) {
        for (const entry of entries) {
          if (entry.isIntersecting) {
            const image = entry.target;
            watcher.unobserve(image);
            image.setAttribute("src", image.getAttribute("data-preview-src"));
            image.removeAttribute("data-preview-src");
          }
        }
      }, { rootMargin: "1500px 0px" });
    }
    for (const image of waiting) {
      watcher.observe(image);
    }
    return waiting.length;
  }

  return {
    wakeImages: wakeImages, update: update, patch: patchBlocks, scrollToBlock: scrollToBlock, scrollToId: scrollToId, bodyBlocks: bodyBlocks,
  };
})();
