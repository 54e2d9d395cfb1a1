resource "aws_s3_bucket" "a0" {
  bucket = "x"
}
resource "aws_s3_bucket" "a1" {
  bucket = "${aws_s3_bucket.a0.bucket}${aws_s3_bucket.a0.bucket}"
}
resource "aws_s3_bucket" "a2" {
  bucket = "${aws_s3_bucket.a1.bucket}${aws_s3_bucket.a1.bucket}"
}
resource "aws_s3_bucket" "a3" {
  bucket = "${aws_s3_bucket.a2.bucket}${aws_s3_bucket.a2.bucket}"
}
resource "aws_s3_bucket" "a4" {
  bucket = "${aws_s3_bucket.a3.bucket}${aws_s3_bucket.a3.bucket}"
}
resource "aws_s3_bucket" "a5" {
  bucket = "${aws_s3_bucket.a4.bucket}${aws_s3_bucket.a4.bucket}"
}
resource "aws_s3_bucket" "a6" {
  bucket = "${aws_s3_bucket.a5.bucket}${aws_s3_bucket.a5.bucket}"
}
resource "aws_s3_bucket" "a7" {
  bucket = "${aws_s3_bucket.a6.bucket}${aws_s3_bucket.a6.bucket}"
}
resource "aws_s3_bucket" "a8" {
  bucket = "${aws_s3_bucket.a7.bucket}${aws_s3_bucket.a7.bucket}"
}
resource "aws_s3_bucket" "a9" {
  bucket = "${aws_s3_bucket.a8.bucket}${aws_s3_bucket.a8.bucket}"
}
resource "aws_s3_bucket" "a10" {
  bucket = "${aws_s3_bucket.a9.bucket}${aws_s3_bucket.a9.bucket}"
}
resource "aws_s3_bucket" "a11" {
  bucket = "${aws_s3_bucket.a10.bucket}${aws_s3_bucket.a10.bucket}"
}
resource "aws_s3_bucket" "a12" {
  bucket = "${aws_s3_bucket.a11.bucket}${aws_s3_bucket.a11.bucket}"
}
resource "aws_s3_bucket" "a13" {
  bucket = "${aws_s3_bucket.a12.bucket}${aws_s3_bucket.a12.bucket}"
}
resource "aws_s3_bucket" "a14" {
  bucket = "${aws_s3_bucket.a13.bucket}${aws_s3_bucket.a13.bucket}"
}
resource "aws_s3_bucket" "a15" {
  bucket = "${aws_s3_bucket.a14.bucket}${aws_s3_bucket.a14.bucket}"
}
resource "aws_s3_bucket" "a16" {
  bucket = "${aws_s3_bucket.a15.bucket}${aws_s3_bucket.a15.bucket}"
}
resource "aws_s3_bucket" "a17" {
  bucket = "${aws_s3_bucket.a16.bucket}${aws_s3_bucket.a16.bucket}"
}
resource "aws_s3_bucket" "a18" {
  bucket = "${aws_s3_bucket.a17.bucket}${aws_s3_bucket.a17.bucket}"
}
resource "aws_s3_bucket" "a19" {
  bucket = "${aws_s3_bucket.a18.bucket}${aws_s3_bucket.a18.bucket}"
}
resource "aws_s3_bucket" "a20" {
  bucket = "${aws_s3_bucket.a19.bucket}${aws_s3_bucket.a19.bucket}"
}
resource "aws_s3_bucket" "a21" {
  bucket = "${aws_s3_bucket.a20.bucket}${aws_s3_bucket.a20.bucket}"
}
resource "aws_s3_bucket" "a22" {
  bucket = "${aws_s3_bucket.a21.bucket}${aws_s3_bucket.a21.bucket}"
}
resource "aws_s3_bucket" "a23" {
  bucket = "${aws_s3_bucket.a22.bucket}${aws_s3_bucket.a22.bucket}"
}
resource "aws_s3_bucket" "a24" {
  bucket = "${aws_s3_bucket.a23.bucket}${aws_s3_bucket.a23.bucket}"
}
resource "aws_s3_bucket" "a25" {
  bucket = "${aws_s3_bucket.a24.bucket}${aws_s3_bucket.a24.bucket}"
}
resource "aws_s3_bucket" "a26" {
  bucket = "${aws_s3_bucket.a25.bucket}${aws_s3_bucket.a25.bucket}"
}
resource "aws_s3_bucket" "a27" {
  bucket = "${aws_s3_bucket.a26.bucket}${aws_s3_bucket.a26.bucket}"
}
resource "aws_s3_bucket" "a28" {
  bucket = "${aws_s3_bucket.a27.bucket}${aws_s3_bucket.a27.bucket}"
}
resource "aws_s3_bucket" "a29" {
  bucket = "${aws_s3_bucket.a28.bucket}${aws_s3_bucket.a28.bucket}"
}
resource "aws_s3_bucket" "a30" {
  bucket = "${aws_s3_bucket.a29.bucket}${aws_s3_bucket.a29.bucket}"
}
resource "aws_s3_bucket" "a31" {
  bucket = "${aws_s3_bucket.a30.bucket}${aws_s3_bucket.a30.bucket}"
}
resource "aws_s3_bucket" "a32" {
  bucket = "${aws_s3_bucket.a31.bucket}${aws_s3_bucket.a31.bucket}"
}
resource "aws_s3_bucket" "a33" {
  bucket = "${aws_s3_bucket.a32.bucket}${aws_s3_bucket.a32.bucket}"
}
resource "aws_s3_bucket" "a34" {
  bucket = "${aws_s3_bucket.a33.bucket}${aws_s3_bucket.a33.bucket}"
}
resource "aws_s3_bucket" "a35" {
  bucket = "${aws_s3_bucket.a34.bucket}${aws_s3_bucket.a34.bucket}"
}
resource "aws_s3_bucket" "a36" {
  bucket = "${aws_s3_bucket.a35.bucket}${aws_s3_bucket.a35.bucket}"
}
resource "aws_s3_bucket" "a37" {
  bucket = "${aws_s3_bucket.a36.bucket}${aws_s3_bucket.a36.bucket}"
}
resource "aws_s3_bucket" "a38" {
  bucket = "${aws_s3_bucket.a37.bucket}${aws_s3_bucket.a37.bucket}"
}
resource "aws_s3_bucket" "a39" {
  bucket = "${aws_s3_bucket.a38.bucket}${aws_s3_bucket.a38.bucket}"
}
resource "aws_s3_bucket" "a40" {
  bucket = "${aws_s3_bucket.a39.bucket}${aws_s3_bucket.a39.bucket}"
}
resource "aws_s3_bucket" "a41" {
  bucket = "${aws_s3_bucket.a40.bucket}${aws_s3_bucket.a40.bucket}"
}
resource "aws_s3_bucket" "a42" {
  bucket = "${aws_s3_bucket.a41.bucket}${aws_s3_bucket.a41.bucket}"
}
resource "aws_s3_bucket" "a43" {
  bucket = "${aws_s3_bucket.a42.bucket}${aws_s3_bucket.a42.bucket}"
}
resource "aws_s3_bucket" "a44" {
  bucket = "${aws_s3_bucket.a43.bucket}${aws_s3_bucket.a43.bucket}"
}
resource "aws_s3_bucket" "a45" {
  bucket = "${aws_s3_bucket.a44.bucket}${aws_s3_bucket.a44.bucket}"
}
resource "aws_s3_bucket" "a46" {
  bucket = "${aws_s3_bucket.a45.bucket}${aws_s3_bucket.a45.bucket}"
}
resource "aws_s3_bucket" "a47" {
  bucket = "${aws_s3_bucket.a46.bucket}${aws_s3_bucket.a46.bucket}"
}
resource "aws_s3_bucket" "a48" {
  bucket = "${aws_s3_bucket.a47.bucket}${aws_s3_bucket.a47.bucket}"
}
resource "aws_s3_bucket" "a49" {
  bucket = "${aws_s3_bucket.a48.bucket}${aws_s3_bucket.a48.bucket}"
}
resource "aws_s3_bucket" "a50" {
  bucket = "${aws_s3_bucket.a49.bucket}${aws_s3_bucket.a49.bucket}"
}
resource "aws_s3_bucket" "a51" {
  bucket = "${aws_s3_bucket.a50.bucket}${aws_s3_bucket.a50.bucket}"
}
resource "aws_s3_bucket" "a52" {
  bucket = "${aws_s3_bucket.a51.bucket}${aws_s3_bucket.a51.bucket}"
}
resource "aws_s3_bucket" "a53" {
  bucket = "${aws_s3_bucket.a52.bucket}${aws_s3_bucket.a52.bucket}"
}
resource "aws_s3_bucket" "a54" {
  bucket = "${aws_s3_bucket.a53.bucket}${aws_s3_bucket.a53.bucket}"
}
resource "aws_s3_bucket" "a55" {
  bucket = "${aws_s3_bucket.a54.bucket}${aws_s3_bucket.a54.bucket}"
}
resource "aws_s3_bucket" "a56" {
  bucket = "${aws_s3_bucket.a55.bucket}${aws_s3_bucket.a55.bucket}"
}
resource "aws_s3_bucket" "a57" {
  bucket = "${aws_s3_bucket.a56.bucket}${aws_s3_bucket.a56.bucket}"
}
resource "aws_s3_bucket" "a58" {
  bucket = "${aws_s3_bucket.a57.bucket}${aws_s3_bucket.a57.bucket}"
}
resource "aws_s3_bucket" "a59" {
  bucket = "${aws_s3_bucket.a58.bucket}${aws_s3_bucket.a58.bucket}"
}
resource "aws_s3_bucket" "a60" {
  bucket = "${aws_s3_bucket.a59.bucket}${aws_s3_bucket.a59.bucket}"
}
resource "aws_s3_bucket" "a61" {
  bucket = "${aws_s3_bucket.a60.bucket}${aws_s3_bucket.a60.bucket}"
}
resource "aws_s3_bucket" "a62" {
  bucket = "${aws_s3_bucket.a61.bucket}${aws_s3_bucket.a61.bucket}"
}
resource "aws_s3_bucket" "a63" {
  bucket = "${aws_s3_bucket.a62.bucket}${aws_s3_bucket.a62.bucket}"
}
resource "aws_s3_bucket" "a64" {
  bucket = "${aws_s3_bucket.a63.bucket}${aws_s3_bucket.a63.bucket}"
}
