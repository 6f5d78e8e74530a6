/*! iframe-worker 1.0.4 (https://github.com/squidfunk/iframe-worker), MIT licence, Copyright (c) 2020-2022
 * Martin Donath. The set-up the shim used to write into its frame as an inline script, as a file for
 * govcases: the frame's Content-Security-Policy allows the site's script files, not inline scripts.
 * Runs inside the hidden frame; the worker's URL is on this script element (data-url).
 */
"use strict";(function(){var url=document.currentScript.getAttribute("data-url");function c(s,n){parent.postMessage(s,n||"*")}function d(...s){return s.reduce((n,e)=>n.then(()=>new Promise(r=>{let t=document.createElement("script");t.src=e,t.onload=r,document.body.appendChild(t)})),Promise.resolve())}window.postMessage=c;window.importScripts=d;addEventListener("error",({error})=>{parent.dispatchEvent(new ErrorEvent("error",{filename:url,error}))})})();
