resource "aws_security_group" "Exact" {
  name = "exact"
  description = "Managed by Terraform"
  ingress {
    description = ""
    from_port = 22
    to_port = 22
    protocol = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
    ipv6_cidr_blocks = []
    prefix_list_ids = []
    security_groups = []
    self = false
  }
  revoke_rules_on_delete = false
}

resource "aws_security_group" "AllTraffic" {
  name = "alltraffic"
  description = "Managed by Terraform"
  ingress {
    description = ""
    from_port = 0
    to_port = 0
    protocol = "-1"
    cidr_blocks = ["0.0.0.0/0"]
    ipv6_cidr_blocks = []
    prefix_list_ids = []
    security_groups = []
    self = false
  }
  revoke_rules_on_delete = false
}

resource "aws_security_group" "PortRangeIpv6" {
  name = "portrangeipv6"
  description = "Managed by Terraform"
  ingress {
    description = ""
    from_port = 443
    to_port = 443
    protocol = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
    ipv6_cidr_blocks = []
    prefix_list_ids = []
    security_groups = []
    self = false
  }
  ingress {
    description = ""
    from_port = 0
    to_port = 65535
    protocol = "6"
    cidr_blocks = []
    ipv6_cidr_blocks = ["::/0"]
    prefix_list_ids = []
    security_groups = []
    self = false
  }
  revoke_rules_on_delete = false
}

resource "aws_security_group" "ClosedGroup" {
  name = "closedgroup"
  description = "Managed by Terraform"
  revoke_rules_on_delete = false
}

resource "aws_security_group_rule" "SeparateRule" {
  type = "ingress"
  from_port = 22
  to_port = 22
  protocol = "tcp"
  cidr_blocks = ["0.0.0.0/0"]
  security_group_id = aws_security_group.ClosedGroup.id
}

resource "aws_security_group_rule" "ImportedGroupRule" {
  type = "ingress"
  from_port = 0
  to_port = 65535
  protocol = "tcp"
  cidr_blocks = ["0.0.0.0/0"]
  security_group_id = "sg-0123456789abcdef0"
}

resource "aws_security_group" "ModernGroup" {
  name = "moderngroup"
  description = "Managed by Terraform"
  revoke_rules_on_delete = false
}

resource "aws_vpc_security_group_ingress_rule" "ModernRule" {
  ip_protocol = "tcp"
  from_port = 22
  to_port = 22
  cidr_ipv4 = "0.0.0.0/0"
  security_group_id = aws_security_group.ModernGroup.id
}
