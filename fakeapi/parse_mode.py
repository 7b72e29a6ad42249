"""Telegram's HTML parse mode, parsed the way the Bot API does it (tdlib `parse_html`).

Error descriptions copy Telegram's wording; the few the fakes add are marked "fake-only".
Where real Telegram is lenient (a bare `&` or `>`, nested blockquotes, tags inside `code`) we
follow the Bot API documentation instead, so a bug shows up here rather than as odd output.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from rendering.text import utf16_len

ENTITY_OF_TAG = {
    **dict.fromkeys(("b", "strong"), "bold"),
    **dict.fromkeys(("i", "em"), "italic"),
    **dict.fromkeys(("u", "ins"), "underline"),
    **dict.fromkeys(("s", "strike", "del"), "strikethrough"),
    **dict.fromkeys(("span", "tg-spoiler"), "spoiler"),
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
    "tg-time": "date_time",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}  # the only named entities Telegram knows
_CHARREF = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z]+));")
_TEXT_RUN = re.compile(r"[^&<>]+")
_TAG_NAME = re.compile(r"[^\s>]*")
_ATTR = re.compile(r"""([^\s=>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']*)))?""")
_END_TAG = re.compile(r"</([^\s>]*)\s*>")
_SPACE = re.compile(r"\s*")


class Rejected(Exception):
    """A request Telegram would refuse, with the answer it would give."""

    def __init__(
        self, description: str, status: int = 400, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.description, self.status, self.parameters = description, status, parameters or {}

    def body(self) -> dict[str, Any]:
        """The JSON body Telegram answers with."""
        body: dict[str, Any] = {"ok": False, "error_code": self.status}
        body["description"] = self.description
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class Parsed(NamedTuple):
    """Text as Telegram stores it: markup removed, entities with UTF-16 offsets."""

    text: str
    entities: list[dict[str, Any]]


def parse_html(html: str) -> Parsed:
    """Parse Telegram HTML into text and entities, or raise `Rejected` like Telegram."""
    return _HtmlParser(html).run()


def _cant_parse(detail: str) -> Rejected:
    return Rejected(f"Bad Request: can't parse entities: {detail}")


@dataclass
class _Open:
    tag: str
    offset: int  # UTF-16 offset of the entity's start in the parsed text
    attrs: dict[str, str]
    language: str = ""  # of a <code class="language-…"> directly inside <pre>


class _HtmlParser:
    """A scanner modelled on tdlib's parse_html, stricter about bare `&` and `>`."""

    def __init__(self, html: str) -> None:
        self.html, self.pos, self.u16 = html, 0, 0
        self.out: list[str] = []
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def run(self) -> Parsed:
        while self.pos < len(self.html):
            char = self.html[self.pos]
            if char == "&":
                self._emit(self._charref(_CHARREF.match(self.html, self.pos)))
            elif char == ">":
                raise _cant_parse(f'Unescaped ">" at byte offset {self._byte()} (fake-only)')
            elif char == "<":
                self._end_tag() if self.html.startswith("</", self.pos) else self._start_tag()
            else:
                run = _TEXT_RUN.match(self.html, self.pos)
                assert run is not None  # the current character is not special
                self.pos = run.end()
                self._emit(run.group())
        if self.stack:
            tag = self.stack[-1].tag
            raise _cant_parse(f'Can\'t find end tag corresponding to start tag "{tag}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return Parsed("".join(self.out), self.entities)

    def _byte(self, pos: int | None = None) -> int:
        return len(self.html[: self.pos if pos is None else pos].encode())

    def _emit(self, text: str) -> None:
        self.out.append(text)
        self.u16 += utf16_len(text)

    def _charref(self, match: re.Match[str] | None) -> str:
        at = f"at byte offset {self._byte()} (fake-only)"  # tdlib would keep these literally
        if match is None:
            raise _cant_parse(f'Unescaped "&" {at}')
        if match[3] and match[3] not in _NAMED:
            raise _cant_parse(f'Unsupported HTML entity "{match.group()}" {at}')
        code = int(match[1]) if match[1] else int(match[2] or "0", 16)
        if not match[3] and (not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF):
            raise _cant_parse(f'Invalid character reference "{match.group()}" {at}')
        self.pos = match.end()
        return _NAMED[match[3]] if match[3] else chr(code)

    def _start_tag(self) -> None:
        begin = self.pos
        name_match = _TAG_NAME.match(self.html, begin + 1)
        assert name_match is not None  # the pattern matches the empty string
        tag, self.pos = name_match.group().lower(), name_match.end()
        if self.pos >= len(self.html):
            raise _cant_parse(f"Unclosed start tag at byte offset {self._byte(begin)}")
        if tag not in ENTITY_OF_TAG:
            raise _cant_parse(f'Unsupported start tag "{tag}" at byte offset {self._byte(begin)}')
        attrs = self._attributes(begin)
        self._check_nesting(tag, attrs, begin)
        self.stack.append(_Open(tag, self.u16, attrs))

    def _attributes(self, begin: int) -> dict[str, str]:
        attrs: dict[str, str] = {}
        while True:
            self.pos = _SPACE.match(self.html, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.html) and self.html[self.pos] == ">":
                self.pos += 1
                return attrs
            attr = _ATTR.match(self.html, self.pos)
            if attr is None or self.pos >= len(self.html):
                raise _cant_parse(f"Unclosed start tag at byte offset {self._byte(begin)}")
            value = next((v for v in attr.groups()[1:] if v is not None), "")
            attrs[attr[1].lower()] = parse_html(value).text if "&" in value else value
            self.pos = attr.end()

    def _check_nesting(self, tag: str, attrs: dict[str, str], begin: int) -> None:
        at = f"at byte offset {self._byte(begin)}"
        if tag == "span" and attrs.get("class") != "tg-spoiler":
            raise _cant_parse(f'Tag "span" must have class "tg-spoiler" {at}')
        if tag == "tg-emoji" and "emoji-id" not in attrs:
            raise _cant_parse(f'Tag "tg-emoji" must have attribute "emoji-id" {at} (fake-only)')
        parent = self.stack[-1].tag if self.stack else ""
        if parent in ("code", "pre") and not (parent == "pre" and tag == "code"):
            raise _cant_parse(f'Tag "{tag}" inside "{parent}" is dropped {at} (fake-only)')
        if tag == "blockquote" and any(o.tag == "blockquote" for o in self.stack):
            raise _cant_parse(f"Blockquotes can't be nested {at} (fake-only)")

    def _end_tag(self) -> None:
        begin = self.pos
        match = _END_TAG.match(self.html, begin)
        if match is None:
            raise _cant_parse(f"Unclosed end tag at byte offset {self._byte(begin)}")
        if not self.stack:
            raise _cant_parse(f"Unexpected end tag at byte offset {self._byte(begin)}")
        tag, opened = match[1].lower(), self.stack[-1]
        if tag != opened.tag:
            raise _cant_parse(
                f"Unmatched end tag at byte offset {self._byte(begin)}, "
                f'expected "</{opened.tag}>", found "</{tag}>"'
            )
        self.pos = match.end()
        self.stack.pop()
        self._add_entity(opened)

    def _add_entity(self, opened: _Open) -> None:
        parent = self.stack[-1] if self.stack else None
        if opened.tag == "code" and parent is not None and parent.tag == "pre":
            parent.language = opened.attrs.get("class", "").removeprefix("language-")
            return  # <pre><code class="language-x"> is one pre entity with a language
        length = self.u16 - opened.offset
        if length == 0 or (opened.tag == "a" and not opened.attrs.get("href")):
            return  # Telegram drops empty entities and links without a URL
        entity: dict[str, Any] = {"type": ENTITY_OF_TAG[opened.tag], "offset": opened.offset}
        entity["length"] = length
        if opened.tag == "a":
            entity["url"] = opened.attrs["href"]
        elif opened.tag == "pre" and opened.language:
            entity["language"] = opened.language
        elif opened.tag == "blockquote" and "expandable" in opened.attrs:
            entity["type"] = "expandable_blockquote"
        elif opened.tag == "tg-emoji":
            entity["custom_emoji_id"] = opened.attrs["emoji-id"]
        elif opened.tag == "tg-time":
            entity["unix_time"] = int(opened.attrs.get("unix", "0") or 0)
        self.entities.append(entity)
