"""Reads Markdown on stdin and prints, as JSON, what a CommonMark reader sees in it.

A real parser (markdown-it-py, CommonMark with GFM tables) decides, not a pattern: each
blockquote with its text, each paragraph and list item outside them, each table with its header and row count, the headings, the text
that renders bold or in italics, and the text that still shows emphasis marks literally.
"""
import json
import sys

from markdown_it import MarkdownIt


def inline_text(token):
    return "".join(child.content for child in token.children or [] if child.type in ("text", "code_inline", "softbreak"))


def main():
    source = sys.stdin.read()
    tokens = MarkdownIt("commonmark").enable("table").parse(source)
    outline = {
        "blockquotes": [], "tables": [], "headings": [], "paragraphs": [], "list_items": [],
        "strong": [], "emphasis": [], "literal_marks": [],
    }
    quote_depth = 0
    list_depth = 0
    table = None
    in_head = False
    row = None
    for index, token in enumerate(tokens):
        if token.type == "blockquote_open":
            quote_depth += 1
            if quote_depth == 1:
                outline["blockquotes"].append("")
        elif token.type == "blockquote_close":
            quote_depth -= 1
        elif token.type == "list_item_open":
            list_depth += 1
            if list_depth == 1:
                outline["list_items"].append("")
        elif token.type == "list_item_close":
            list_depth -= 1
        elif token.type == "heading_open":
            outline["headings"].append(inline_text(tokens[index + 1]))
        elif token.type == "table_open":
            table = {"header": [], "rows": 0, "cells": []}
            outline["tables"].append(table)
        elif token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open" and not in_head:
            table["rows"] += 1
            row = []
            table["cells"].append(row)
        elif token.type == "inline":
            text = inline_text(token)
            if quote_depth:
                outline["blockquotes"][-1] += (" " if outline["blockquotes"][-1] else "") + text
            elif list_depth:
                outline["list_items"][-1] += (" " if outline["list_items"][-1] else "") + text
            elif tokens[index - 1].type == "paragraph_open":
                outline["paragraphs"].append(text)
            if table is not None and tokens[index - 1].type in ("th_open", "td_open"):
                (table["header"] if in_head else row).append(text)
            children = token.children or []
            for position, child in enumerate(children):
                if child.type in ("strong_open", "em_open"):
                    inside = []
                    for inner in children[position + 1:]:
                        if inner.type == child.type.replace("_open", "_close"):
                            break
                        inside.append(inner.content)
                    outline["strong" if child.type == "strong_open" else "emphasis"].append("".join(inside))
                elif child.type == "text" and ("**" in child.content or "__" in child.content):
                    outline["literal_marks"].append(child.content)
        elif token.type == "table_close":
            table = None
    json.dump(outline, sys.stdout, ensure_ascii=False)


main()
