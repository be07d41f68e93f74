# Compares two kernel_check outputs line by line (Tests/CKernel/kernel_check.c): usage
# `awk -f compare.awk REFERENCE OTHER`. A value passes if it is printed identically, or if
# both are finite and differ by at most the larger of the two lines' bounds; labels must
# match. Exits 1 if any value fails, after printing the first 20 failures and a summary.
function abs(v) { return v < 0 ? -v : v }
function finite(s) { return s != "nan" && s !~ /inf/ }
NR == FNR { ref[FNR] = $0; n = FNR; next }
{
  split(ref[FNR], r, " ")
  total++
  if (r[1] != $1 || r[2] != $2) { print "kernel_check: line " FNR " is " $1 " " $2 " here but " r[1] " " r[2] " in the reference"; bad++; next }
  if (r[3] "" == $3 "") { same++; next }
  bound = r[4] + 0 > $4 + 0 ? r[4] + 0 : $4 + 0
  if (finite(r[3]) && finite($3) && abs(r[3] - $3) <= bound) {
    within++
    if (abs(r[3] - $3) / bound > worst) { worst = abs(r[3] - $3) / bound; worst_line = $1 }
    next
  }
  if (bad < 20) print "kernel_check: " $1 " " $2 ": " $3 " here, " r[3] " in the reference (bound " bound ")"
  bad++
}
END {
  if (FNR != n) { print "kernel_check: " FNR " lines here, " n " in the reference"; bad++ }
  printf "kernel_check: %d values: %d identical, %d within their bound (largest difference %.2f of its bound, %s), %d differ\n", total, same, within, worst, worst_line, bad
  exit bad > 0
}
