/* The site's root address, for the theme's scripts that load the site's own files (finder.js, govcases-study.js).
 *
 * Loaded through extra_javascript before them; it defines window.govcasesSiteRoot(). Material writes the way
 * from a page to the site root as `base` in the page's #__config; without it the root is found from this
 * file's own address (assets/javascripts/), so the answer holds served over http and opened from disk.
 * Tests load it under node (require) and call siteRoot with the page's parts.
 */
(function (root, factory) {
  "use strict";
  var siteRoot = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = { siteRoot: siteRoot };
    return;
  }
  var script = document.currentScript ? document.currentScript.src : "";
  root.govcasesSiteRoot = function () {
    var cfg = document.getElementById("__config");
    return siteRoot(cfg ? cfg.textContent : "", script, location.href);
  };
})(typeof window !== "undefined" ? window : this, function () {
  "use strict";

  /* The root as a URL ending in "/": `base` of the page's config (JSON text) taken from `page`'s address;
   * else two folders up from `script`, this file's address; else two folders up from `page`. */
  return function siteRoot(configText, script, page) {
    if (configText) {
      try {
        var base = JSON.parse(configText).base;
        if (typeof base === "string") return new URL(base.replace(/\/?$/, "/"), page);
      } catch (e) { /* not JSON: the script's address below */ }
    }
    return new URL("../../", script || page);
  };
});
