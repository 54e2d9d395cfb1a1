#!/usr/bin/env python3
"""Writes src/checks/compile/schema/cfn-properties.txt: the property tree of every
CloudFormation resource type, from the registry schemas the cfn-lint package ships
(cfnlint/data/schemas, us-east-1), for the check compiler (docs/checks.md).

Usage: python3 scripts/cfn-schema.py [OUTPUT]   (needs `pip install cfn-lint`)

The format, one line per property, children indented one space below their parent:

    =AWS::S3::Bucket              a type
    BucketName.                   a scalar
    BucketEncryption{             an object; its properties follow, indented
    Tags[{                        a list of objects (`[` per list level)
    Labels*.                      a map (any key) of scalars
    PolicyDocument~               anything: JSON, or a definition that contains itself

A definition met again inside itself is written `~` (WAFv2 statements nest). A type whose
tree would take more than MAX_TYPE_BYTES (QuickSight's dashboards, analyses and templates,
700 kB each) is cut at the depth that fits: deeper properties are `~`, read unchecked.
"""

MAX_TYPE_BYTES = 64 * 1024

import json
import os
import sys
from importlib import import_module


def schema_files():
    """(type name, schema) for every type of us-east-1, in either cfn-lint layout."""
    import cfnlint

    root = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas", "providers")
    legacy = os.path.join(root, "us_east_1")
    if os.path.isdir(legacy):  # cfn-lint < 1.40: one JSON file per type
        for name in sorted(os.listdir(legacy)):
            if name.endswith(".json"):
                with open(os.path.join(legacy, name), encoding="utf-8") as f:
                    schema = json.load(f)
                yield schema["typeName"], schema
        return
    # cfn-lint >= 1.40: a module maps each type to a hash named file under resources/.
    types = import_module("cfnlint.data.schemas.providers.us_east_1").types
    resources = os.path.join(os.path.dirname(root), "resources")
    for type_name in sorted(types):
        with open(os.path.join(resources, types[type_name] + ".json"), encoding="utf-8") as f:
            yield type_name, json.load(f)


def kinds(node):
    kind = node.get("type")
    if isinstance(kind, list):
        return set(kind)
    return {kind} if kind else set()


def merged(node, schema, stack):
    """The node with `$ref` resolved and the properties of oneOf/anyOf/allOf added.
    Returns (node, stack) or (None, stack) for a definition met inside itself."""
    while "$ref" in node:
        name = node["$ref"].split("/")[-1]
        if name in stack:
            return None, stack
        stack = stack + (name,)
        node = schema.get("definitions", {}).get(name, {})
    properties = dict(node.get("properties", {}))
    pattern = dict(node.get("patternProperties", {}))
    items = node.get("items")
    types = kinds(node)
    for key in ("oneOf", "anyOf", "allOf"):
        for branch in node.get(key, []):
            branch, _ = merged(branch, schema, stack)
            if branch is None:
                continue
            properties.update(branch.get("properties", {}))
            pattern.update(branch.get("patternProperties", {}))
            items = items or branch.get("items")
            types |= kinds(branch)
    out = {"properties": properties, "patternProperties": pattern, "types": types}
    if items is not None:
        out["items"] = items
    return out, stack


def shape(node, schema, stack, lines, depth, name, max_depth):
    """Appends the lines of property `name` with schema `node`."""
    prefix = " " * depth + name
    marks = ""
    if depth >= max_depth:
        lines.append(prefix + "~")
        return
    for _ in range(8):
        node, stack = merged(node, schema, stack)
        if node is None:
            lines.append(prefix + marks + "~")
            return
        types = node["types"]
        if "array" in types and not types - {"array"}:
            marks += "["
            node = node.get("items") or {}
            continue
        if node["properties"]:
            if types - {"object"}:
                lines.append(prefix + marks + "~")  # an object or a text (JSON as a string)
                return
            lines.append(prefix + marks + "{")
            for child in sorted(node["properties"]):
                shape(node["properties"][child], schema, stack, lines, depth + 1, child, max_depth)
            return
        if node["patternProperties"] and types <= {"object"}:
            marks += "*"
            node = next(iter(node["patternProperties"].values()))
            continue
        if types & {"object", "array"} or not types:
            lines.append(prefix + marks + "~")
        else:
            lines.append(prefix + marks + ".")
        return
    lines.append(prefix + marks + "~")


def main():
    output = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(__file__), "..", "src", "checks", "compile", "schema", "cfn-properties.txt"
    )
    lines = []
    for type_name, schema in schema_files():
        lines.append("=" + type_name)
        properties = schema.get("properties", {})
        read_only = {p.split("/")[-1] for p in schema.get("readOnlyProperties", []) if p.count("/") == 2}
        for max_depth in range(64, 0, -1):
            tree = []
            for name in sorted(properties):
                if name in read_only:
                    continue  # an attribute (Arn, Id): never a property a template sets
                shape(properties[name], schema, (), tree, 0, name, max_depth)
            if sum(len(line) + 1 for line in tree) <= MAX_TYPE_BYTES:
                break
        lines.extend(tree)
    with open(output, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
