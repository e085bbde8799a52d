"""The sitemap read as a crawler reads it: the index, then every sitemap page it lists."""

from lxml import etree

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
HOST = "http://testserver"


def sitemap_pages(client):
    """The addresses the index lists, as paths with their query (``/sitemap-talks.xml?p=2``)."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    index = etree.fromstring(response.content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    return [location.text.removeprefix(HOST) for location in index.iter(f"{SITEMAP}loc")]


def sitemap_entries(client, page):
    """Each address of one sitemap page, as a path, with its <lastmod>, in the page's order."""
    response = client.get(page)
    assert response.status_code == 200, page
    urlset = etree.fromstring(response.content)
    return [
        (url.findtext(f"{SITEMAP}loc").removeprefix(HOST), url.findtext(f"{SITEMAP}lastmod"))
        for url in urlset.iter(f"{SITEMAP}url")
    ]


def every_sitemap_entry(client):
    """{path: lastmod} of every address of every sitemap page the index lists."""
    entries = {}
    for page in sitemap_pages(client):
        for path, lastmod in sitemap_entries(client, page):
            assert path not in entries, f"{path} is listed twice"
            entries[path] = lastmod
    return entries
