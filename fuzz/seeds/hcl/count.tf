resource "aws_s3_bucket" "b0" {
  count  = 10000
  bucket = "b0-${count.index}"
}
resource "aws_s3_bucket" "b1" {
  count  = 10000
  bucket = "b1-${count.index}"
}
resource "aws_s3_bucket" "b2" {
  count  = 10000
  bucket = "b2-${count.index}"
}
resource "aws_s3_bucket" "b3" {
  count  = 10000
  bucket = "b3-${count.index}"
}
resource "aws_s3_bucket" "b4" {
  count  = 10000
  bucket = "b4-${count.index}"
}
resource "aws_s3_bucket" "b5" {
  count  = 10000
  bucket = "b5-${count.index}"
}
resource "aws_s3_bucket" "b6" {
  count  = 10000
  bucket = "b6-${count.index}"
}
resource "aws_s3_bucket" "b7" {
  count  = 10000
  bucket = "b7-${count.index}"
}
resource "aws_s3_bucket" "b8" {
  count  = 10000
  bucket = "b8-${count.index}"
}
resource "aws_s3_bucket" "b9" {
  count  = 10000
  bucket = "b9-${count.index}"
}
resource "aws_s3_bucket" "b10" {
  count  = 10000
  bucket = "b10-${count.index}"
}
resource "aws_s3_bucket" "b11" {
  count  = 10000
  bucket = "b11-${count.index}"
}
resource "aws_s3_bucket" "b12" {
  count  = 10000
  bucket = "b12-${count.index}"
}
resource "aws_s3_bucket" "b13" {
  count  = 10000
  bucket = "b13-${count.index}"
}
resource "aws_s3_bucket" "b14" {
  count  = 10000
  bucket = "b14-${count.index}"
}
resource "aws_s3_bucket" "b15" {
  count  = 10000
  bucket = "b15-${count.index}"
}
resource "aws_s3_bucket" "b16" {
  count  = 10000
  bucket = "b16-${count.index}"
}
resource "aws_s3_bucket" "b17" {
  count  = 10000
  bucket = "b17-${count.index}"
}
resource "aws_s3_bucket" "b18" {
  count  = 10000
  bucket = "b18-${count.index}"
}
resource "aws_s3_bucket" "b19" {
  count  = 10000
  bucket = "b19-${count.index}"
}
resource "aws_s3_bucket" "b20" {
  count  = 10000
  bucket = "b20-${count.index}"
}
resource "aws_s3_bucket" "b21" {
  count  = 10000
  bucket = "b21-${count.index}"
}
resource "aws_s3_bucket" "b22" {
  count  = 10000
  bucket = "b22-${count.index}"
}
resource "aws_s3_bucket" "b23" {
  count  = 10000
  bucket = "b23-${count.index}"
}
resource "aws_s3_bucket" "b24" {
  count  = 10000
  bucket = "b24-${count.index}"
}
resource "aws_s3_bucket" "b25" {
  count  = 10000
  bucket = "b25-${count.index}"
}
resource "aws_s3_bucket" "b26" {
  count  = 10000
  bucket = "b26-${count.index}"
}
resource "aws_s3_bucket" "b27" {
  count  = 10000
  bucket = "b27-${count.index}"
}
resource "aws_s3_bucket" "b28" {
  count  = 10000
  bucket = "b28-${count.index}"
}
resource "aws_s3_bucket" "b29" {
  count  = 10000
  bucket = "b29-${count.index}"
}
resource "aws_s3_bucket" "b30" {
  count  = 10000
  bucket = "b30-${count.index}"
}
resource "aws_s3_bucket" "b31" {
  count  = 10000
  bucket = "b31-${count.index}"
}
resource "aws_s3_bucket" "b32" {
  count  = 10000
  bucket = "b32-${count.index}"
}
resource "aws_s3_bucket" "b33" {
  count  = 10000
  bucket = "b33-${count.index}"
}
resource "aws_s3_bucket" "b34" {
  count  = 10000
  bucket = "b34-${count.index}"
}
resource "aws_s3_bucket" "b35" {
  count  = 10000
  bucket = "b35-${count.index}"
}
resource "aws_s3_bucket" "b36" {
  count  = 10000
  bucket = "b36-${count.index}"
}
resource "aws_s3_bucket" "b37" {
  count  = 10000
  bucket = "b37-${count.index}"
}
resource "aws_s3_bucket" "b38" {
  count  = 10000
  bucket = "b38-${count.index}"
}
resource "aws_s3_bucket" "b39" {
  count  = 10000
  bucket = "b39-${count.index}"
}
resource "aws_s3_bucket" "b40" {
  count  = 10000
  bucket = "b40-${count.index}"
}
resource "aws_s3_bucket" "b41" {
  count  = 10000
  bucket = "b41-${count.index}"
}
resource "aws_s3_bucket" "b42" {
  count  = 10000
  bucket = "b42-${count.index}"
}
resource "aws_s3_bucket" "b43" {
  count  = 10000
  bucket = "b43-${count.index}"
}
resource "aws_s3_bucket" "b44" {
  count  = 10000
  bucket = "b44-${count.index}"
}
resource "aws_s3_bucket" "b45" {
  count  = 10000
  bucket = "b45-${count.index}"
}
resource "aws_s3_bucket" "b46" {
  count  = 10000
  bucket = "b46-${count.index}"
}
resource "aws_s3_bucket" "b47" {
  count  = 10000
  bucket = "b47-${count.index}"
}
resource "aws_s3_bucket" "b48" {
  count  = 10000
  bucket = "b48-${count.index}"
}
resource "aws_s3_bucket" "b49" {
  count  = 10000
  bucket = "b49-${count.index}"
}
resource "aws_s3_bucket" "b50" {
  count  = 10000
  bucket = "b50-${count.index}"
}
resource "aws_s3_bucket" "b51" {
  count  = 10000
  bucket = "b51-${count.index}"
}
resource "aws_s3_bucket" "b52" {
  count  = 10000
  bucket = "b52-${count.index}"
}
resource "aws_s3_bucket" "b53" {
  count  = 10000
  bucket = "b53-${count.index}"
}
resource "aws_s3_bucket" "b54" {
  count  = 10000
  bucket = "b54-${count.index}"
}
resource "aws_s3_bucket" "b55" {
  count  = 10000
  bucket = "b55-${count.index}"
}
resource "aws_s3_bucket" "b56" {
  count  = 10000
  bucket = "b56-${count.index}"
}
resource "aws_s3_bucket" "b57" {
  count  = 10000
  bucket = "b57-${count.index}"
}
resource "aws_s3_bucket" "b58" {
  count  = 10000
  bucket = "b58-${count.index}"
}
resource "aws_s3_bucket" "b59" {
  count  = 10000
  bucket = "b59-${count.index}"
}
resource "aws_s3_bucket" "b60" {
  count  = 10000
  bucket = "b60-${count.index}"
}
resource "aws_s3_bucket" "b61" {
  count  = 10000
  bucket = "b61-${count.index}"
}
resource "aws_s3_bucket" "b62" {
  count  = 10000
  bucket = "b62-${count.index}"
}
resource "aws_s3_bucket" "b63" {
  count  = 10000
  bucket = "b63-${count.index}"
}
resource "aws_s3_bucket" "b64" {
  count  = 10000
  bucket = "b64-${count.index}"
}
resource "aws_s3_bucket" "b65" {
  count  = 10000
  bucket = "b65-${count.index}"
}
resource "aws_s3_bucket" "b66" {
  count  = 10000
  bucket = "b66-${count.index}"
}
resource "aws_s3_bucket" "b67" {
  count  = 10000
  bucket = "b67-${count.index}"
}
resource "aws_s3_bucket" "b68" {
  count  = 10000
  bucket = "b68-${count.index}"
}
resource "aws_s3_bucket" "b69" {
  count  = 10000
  bucket = "b69-${count.index}"
}
resource "aws_s3_bucket" "b70" {
  count  = 10000
  bucket = "b70-${count.index}"
}
resource "aws_s3_bucket" "b71" {
  count  = 10000
  bucket = "b71-${count.index}"
}
resource "aws_s3_bucket" "b72" {
  count  = 10000
  bucket = "b72-${count.index}"
}
resource "aws_s3_bucket" "b73" {
  count  = 10000
  bucket = "b73-${count.index}"
}
resource "aws_s3_bucket" "b74" {
  count  = 10000
  bucket = "b74-${count.index}"
}
resource "aws_s3_bucket" "b75" {
  count  = 10000
  bucket = "b75-${count.index}"
}
resource "aws_s3_bucket" "b76" {
  count  = 10000
  bucket = "b76-${count.index}"
}
resource "aws_s3_bucket" "b77" {
  count  = 10000
  bucket = "b77-${count.index}"
}
resource "aws_s3_bucket" "b78" {
  count  = 10000
  bucket = "b78-${count.index}"
}
resource "aws_s3_bucket" "b79" {
  count  = 10000
  bucket = "b79-${count.index}"
}
resource "aws_s3_bucket" "b80" {
  count  = 10000
  bucket = "b80-${count.index}"
}
resource "aws_s3_bucket" "b81" {
  count  = 10000
  bucket = "b81-${count.index}"
}
resource "aws_s3_bucket" "b82" {
  count  = 10000
  bucket = "b82-${count.index}"
}
resource "aws_s3_bucket" "b83" {
  count  = 10000
  bucket = "b83-${count.index}"
}
resource "aws_s3_bucket" "b84" {
  count  = 10000
  bucket = "b84-${count.index}"
}
resource "aws_s3_bucket" "b85" {
  count  = 10000
  bucket = "b85-${count.index}"
}
resource "aws_s3_bucket" "b86" {
  count  = 10000
  bucket = "b86-${count.index}"
}
resource "aws_s3_bucket" "b87" {
  count  = 10000
  bucket = "b87-${count.index}"
}
resource "aws_s3_bucket" "b88" {
  count  = 10000
  bucket = "b88-${count.index}"
}
resource "aws_s3_bucket" "b89" {
  count  = 10000
  bucket = "b89-${count.index}"
}
resource "aws_s3_bucket" "b90" {
  count  = 10000
  bucket = "b90-${count.index}"
}
resource "aws_s3_bucket" "b91" {
  count  = 10000
  bucket = "b91-${count.index}"
}
resource "aws_s3_bucket" "b92" {
  count  = 10000
  bucket = "b92-${count.index}"
}
resource "aws_s3_bucket" "b93" {
  count  = 10000
  bucket = "b93-${count.index}"
}
resource "aws_s3_bucket" "b94" {
  count  = 10000
  bucket = "b94-${count.index}"
}
resource "aws_s3_bucket" "b95" {
  count  = 10000
  bucket = "b95-${count.index}"
}
resource "aws_s3_bucket" "b96" {
  count  = 10000
  bucket = "b96-${count.index}"
}
resource "aws_s3_bucket" "b97" {
  count  = 10000
  bucket = "b97-${count.index}"
}
resource "aws_s3_bucket" "b98" {
  count  = 10000
  bucket = "b98-${count.index}"
}
resource "aws_s3_bucket" "b99" {
  count  = 10000
  bucket = "b99-${count.index}"
}
