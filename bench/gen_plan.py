"""Prints a Terraform plan (format 1.2) with 5 resources per unit: a security
group and a rule attached to it, a bucket and its public access block, a VPC."""
import json
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
resources, changes, config = [], [], []


def add(kind, name, values, refs=None):
    address = f"{kind}.{name}"
    resources.append({"address": address, "mode": "managed", "type": kind, "name": name, "values": values})
    changes.append({"address": address, "change": {"actions": ["create"], "after_unknown": {k: True for k in refs or {}}}})
    expressions = {k: {"references": [v, ".".join(v.split(".")[:2])]} for k, v in (refs or {}).items()}
    config.append({"address": address, "mode": "managed", "type": kind, "name": name, "expressions": expressions})


for i in range(n):
    add("aws_security_group", f"sg{i}", {"name": f"sg{i}", "ingress": []})
    add("aws_security_group_rule", f"r{i}",
        {"type": "ingress", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["10.0.0.0/8"]},
        {"security_group_id": f"aws_security_group.sg{i}.id"})
    add("aws_s3_bucket", f"b{i}", {"bucket": f"bucket-{i}"})
    add("aws_s3_bucket_public_access_block", f"p{i}",
        {"block_public_acls": True, "ignore_public_acls": True, "block_public_policy": True, "restrict_public_buckets": True},
        {"bucket": f"aws_s3_bucket.b{i}.id"})
    add("aws_vpc", f"v{i}", {"cidr_block": "10.0.0.0/16"})

json.dump({"format_version": "1.2", "terraform_version": "1.9.5",
           "planned_values": {"root_module": {"resources": resources}},
           "resource_changes": changes,
           "configuration": {"root_module": {"resources": config}}}, sys.stdout)
