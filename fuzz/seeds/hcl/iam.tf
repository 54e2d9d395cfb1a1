data "aws_iam_policy_document" "SingleStatementDoc" {
  statement {
    sid = ""
    actions = ["s3:GetObject", "*"]
    resources = ["arn:aws:s3:::bucket/*", "*"]
    not_principals = []
  }
}

resource "aws_iam_policy" "AdminPolicy" {
  name = "admin"
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Effect" = "Allow"
      "Action" = "*"
      "Resource" = "*"
    }]
  })
}

resource "aws_iam_role" "StarStarRole" {
  name = "star"
  assume_role_policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Effect" = "Allow"
      "Principal" = {
        "Service" = "ec2.amazonaws.com"
      }
      "Action" = "sts:AssumeRole"
    }]
  })
  inline_policy {
    name = "everything"
    policy = jsonencode({
      "Version" = "2012-10-17"
      "Statement" = {
        "Effect" = "Allow"
        "Action" = ["*:*"]
        "Resource" = ["*"]
      }
    })
  }
}

resource "aws_iam_group_policy" "NotActionGroup" {
  name = "all-but-iam"
  group = "admins"
  policy = jsonencode({
    "Version" = "2012-10-17"
    "Statement" = [{
      "Effect" = "Allow"
      "NotAction" = ["iam:*"]
      "Resource" = "*"
    }]
  })
}

resource "aws_iam_policy" "SingleStatement" {
  name = "single"
  policy = data.aws_iam_policy_document.SingleStatementDoc.json
}
