# What a Terraform user sees: attribute names as written, findings on the
# resource that sets the value (a separate queue policy, a rule block).
resource "aws_security_group" "bastion" {
  name = "bastion"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_db_instance" "orders" {
  identifier          = "orders"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  publicly_accessible = true
}

resource "aws_sqs_queue" "events" {
  name = "events"
}

resource "aws_sqs_queue_policy" "events" {
  queue_url = aws_sqs_queue.events.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Sid = "Owner", Effect = "Allow", Principal = { AWS = "arn:aws:iam::123456789012:root" }, Action = "sqs:*", Resource = "*" },
      { Sid = "Anyone", Effect = "Allow", Principal = "*", Action = "sqs:SendMessage", Resource = "*" },
    ]
  })
}
