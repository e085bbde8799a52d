"""Privacy-friendly video embeds: nothing is fetched from the video host until a reader asks."""

from urllib.parse import parse_qs, urlsplit

# The one host the site frames; the Content-Security-Policy and Permissions-Policy name it too.
EMBED_ORIGIN = "https://www.youtube-nocookie.com"
EMBED_BASE = f"{EMBED_ORIGIN}/embed/"
_YOUTUBE_HOSTS = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}


def youtube_video_id(url):
    """The video id of a YouTube watch, short or embed URL; None for anything else."""
    parts = urlsplit(url or "")
    host = parts.netloc.lower()
    if host == "youtu.be":
        candidate = parts.path.strip("/")
    elif host in _YOUTUBE_HOSTS:
        if parts.path == "/watch":
            candidate = parse_qs(parts.query).get("v", [""])[0]
        elif parts.path.startswith("/embed/"):
            candidate = parts.path.removeprefix("/embed/").strip("/")
        else:
            return None
    else:
        return None
    is_id = candidate and all(char.isalnum() or char in "-_" for char in candidate)
    return candidate if is_id and len(candidate) <= 20 else None


def embed_url(video_url):
    """The youtube-nocookie player URL for a video link, or None when it cannot be embedded."""
    video_id = youtube_video_id(video_url)
    return f"{EMBED_BASE}{video_id}?autoplay=1" if video_id else None
