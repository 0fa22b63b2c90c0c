"""The build stage: an Analysis and the site config in, one `@graph` of schema.org nodes out.

No text is invented here: every value is copied from the analysis (which cites its source span) or
from config. Ids come from content, so the same page always gives the same ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final
from urllib.parse import urljoin, urlsplit

from pipeline.build.drug import drug_node
from pipeline.build.ids import node_id_for, short_hash, slug
from pipeline.markup import render_blocks
from pipeline.model import Analysis, Finding, Graph, JsonObject, JsonValue, Severity

if TYPE_CHECKING:
    from pipeline.settings import SiteConfig

CONTEXT: Final = "https://schema.org"


def build(analysis: Analysis, site: SiteConfig) -> Graph:
    """Build the page graph: page node, subject node, questions, and site nodes from config."""
    url = page_url(analysis, site)
    findings: list[Finding] = []
    if url is None:
        findings.append(
            Finding(
                rule="build.relative-ids",
                severity=Severity.INFO,
                message="no page URL is known, so ids are fragments (#webpage) that resolve "
                "against the page the block is pasted into",
                hint="pass --url for one page or --base-url for a batch",
            )
        )
    questions = _question_nodes(analysis, url)
    subject = drug_node(analysis, url) if analysis.subject else None
    page = _page_node(analysis, site, url, questions, subject)
    nodes: list[JsonValue] = [page]
    if subject:
        nodes.append(subject)
    nodes.extend(questions)
    nodes.extend(_site_nodes(site))
    return Graph(jsonld={"@context": CONTEXT, "@graph": nodes}, findings=tuple(findings))


def page_url(analysis: Analysis, site: SiteConfig) -> str | None:
    """The page's canonical URL: given for this run, else the page's own canonical, made absolute.

    A URL with a scheme other than http(s) (`javascript:`, `data:`, `file:`) is never used.
    """
    doc = analysis.document
    if doc.source.url and _scheme(doc.source.url) in {"", "http", "https"}:
        return doc.source.url
    canonical = doc.meta.canonical_url
    if canonical and canonical.startswith(("http://", "https://")):
        return canonical
    if canonical and site.url and _scheme(canonical) == "":
        return urljoin(site.url.rstrip("/") + "/", canonical.lstrip("/"))
    return None


def _scheme(url: str) -> str | None:
    """The URL's scheme in lower case, "" for a relative URL, None for a malformed one."""
    try:
        return urlsplit(url).scheme.lower()
    except ValueError:
        return None


def _page_node(
    analysis: Analysis,
    site: SiteConfig,
    url: str | None,
    questions: list[JsonObject],
    subject: JsonObject | None,
) -> JsonObject:
    meta = analysis.document.meta
    node: JsonObject = {
        "@type": ["MedicalWebPage", "FAQPage"] if questions else "MedicalWebPage",
        "@id": node_id_for(url, "webpage"),
    }
    if url:
        node["url"] = url
    if analysis.title:
        node["name"] = analysis.title.text
    if analysis.description:
        node["description"] = analysis.description.text
    language = analysis.language or site.language
    if language:
        node["inLanguage"] = language
    if subject:
        node["about"] = {"@id": subject["@id"]}
    node["medicalAudience"] = {"@type": "MedicalAudience", "audienceType": site.audience}
    if questions:
        node["mainEntity"] = [{"@id": q["@id"]} for q in questions]
    _add_credits(node, analysis, site)
    if meta.date_published:
        node["datePublished"] = meta.date_published
    if meta.date_modified:
        node["dateModified"] = meta.date_modified
    if site.url:
        node["isPartOf"] = {"@id": _site_id(site.url, "website")}
    return node


def _add_credits(node: JsonObject, analysis: Analysis, site: SiteConfig) -> None:
    author = analysis.document.meta.author or site.author
    if author:
        node["author"] = {"@type": "Person", "name": author}
    if site.reviewer:
        node["reviewedBy"] = {"@type": "Person", "name": site.reviewer}
        reviewed = analysis.document.meta.date_modified or analysis.document.meta.date_published
        if reviewed:
            node["lastReviewed"] = reviewed[:10]
    if site.publisher_name and site.url:
        node["publisher"] = {"@id": _site_id(site.url, "organization")}


def _question_nodes(analysis: Analysis, url: str | None) -> list[JsonObject]:
    nodes: list[JsonObject] = []
    used: set[str] = set()
    for entry in analysis.faq:
        fragment = f"faq-{slug(entry.question)}"
        if fragment in used:
            fragment = f"{fragment}-{short_hash(entry.question)}"
        used.add(fragment)
        node: JsonObject = {
            "@type": "Question",
            "@id": node_id_for(url, fragment),
            "name": entry.question,
            "acceptedAnswer": {"@type": "Answer", "text": render_blocks(entry.answer)},
        }
        if url and entry.anchor:
            node["url"] = f"{url.split('#', 1)[0]}#{entry.anchor}"
        nodes.append(node)
    return nodes


def _site_id(site_url: str, fragment: str) -> str:
    return f"{site_url.rstrip('/')}/#{fragment}"


def _site_nodes(site: SiteConfig) -> list[JsonObject]:
    if not site.url:
        return []
    website: JsonObject = {
        "@type": "WebSite",
        "@id": _site_id(site.url, "website"),
        "url": site.url,
    }
    if site.name:
        website["name"] = site.name
    nodes: list[JsonObject] = [website]
    if site.publisher_name:
        website["publisher"] = {"@id": _site_id(site.url, "organization")}
        organization: JsonObject = {
            "@type": "Organization",
            "@id": _site_id(site.url, "organization"),
            "name": site.publisher_name,
            "url": site.url,
        }
        if site.publisher_logo:
            organization["logo"] = site.publisher_logo
        nodes.append(organization)
    return nodes
