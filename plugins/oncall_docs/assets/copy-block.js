/*
 * Copy buttons of the fill-in templates and the handoff draft (oncall-docs). One file, no
 * build step, no inline script: without it the button stays hidden and the text in the
 * <pre> block can be selected by hand. The copied text is the block's text, exactly.
 */
(function () {
  "use strict";
  if (window.oncallCopyBlocks) return; // loaded once, even if a page includes it twice

  /* The clipboard helper of checklist.js (loaded on every page with this file), with its
     fallback for file:// pages. */
  function copyText(text) { return window.oncallChecklists.copyText(text); }

  function setup(block) {
    if (block.dataset.copyReady) return; // instant navigation re-emits document$
    var bar = block.querySelector(".oncall-copy-block");
    var code = block.querySelector("pre code");
    if (!bar || !code) return;
    block.dataset.copyReady = "1";
    var status = bar.querySelector(".oncall-copy-block__status");
    bar.querySelector("button").addEventListener("click", function () {
      copyText(code.textContent).then(function () { status.textContent = "Copied to the clipboard"; },
        function () { status.textContent = "Could not copy: select the text and copy it"; });
    });
    bar.hidden = false;
  }

  function setupPage() { document.querySelectorAll(".oncall-template").forEach(setup); }

  window.oncallCopyBlocks = { setup: setupPage };
  /* On load and on every page instant navigation swaps in (document$ never fires on file://). */
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setupPage);
  else setupPage();
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(setupPage);
  }
})();
