// Lazy video embeds: the page links to the video; a click swaps in a youtube-nocookie player,
// so nothing is requested from YouTube before the reader asks for it.
document.addEventListener("click", (event) => {
  const link = event.target.closest(".video-play");
  const box = link && link.closest(".video[data-embed-url]");
  if (!box || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  const player = document.createElement("iframe");
  player.src = box.dataset.embedUrl;
  player.title = box.dataset.title || "Video";
  player.allow = "autoplay; encrypted-media; picture-in-picture; fullscreen";
  player.allowFullscreen = true;
  player.referrerPolicy = "strict-origin-when-cross-origin";
  box.replaceChildren(player);
  player.focus();
});
