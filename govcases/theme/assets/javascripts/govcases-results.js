/* Search results show no zero-width spaces. Material's own index (the copy opened from disk keeps it) holds
 * titles and texts with a zero-width space between the words jieba cut them into, which is how its search
 * finds words in Chinese; shown as they are, a reader who copies a title or a passage from the results
 * copies those invisible characters too. They are taken out of the results as Material puts them in. */
(function () {
  "use strict"
  var ZWSP = /\u200b/g

  function clean(root) {
    var walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT)
    for (var node = walk.nextNode(); node; node = walk.nextNode())
      if (node.data.indexOf("\u200b") >= 0) node.data = node.data.replace(ZWSP, "")
  }

  function watch() {
    var list = document.querySelector(".md-search-result__list")
    if (!list) return
    // Changing a text node's data is no change of the list's children: the observer does not wake itself.
    new MutationObserver(function () { clean(list) }).observe(list, { childList: true, subtree: true })
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch)
  else watch()
})()
