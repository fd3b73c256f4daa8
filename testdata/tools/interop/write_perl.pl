#!/usr/bin/perl
# Writes the portfolio with Perl's Excel::Writer::XLSX (Debian's
# libexcel-writer-xlsx-perl), the way Perl scripts usually do: write() for
# every cell. write() stores a string that looks like a number as a number,
# keeping the digits as written, so the 18-digit code becomes the exact number
# <v>914403001922038216</v> and the 15-digit registration number a number too.
# A formula gets the cached value 0 and the workbook fullCalcOnLoad.
#
# Usage: perl write_perl.pl PORTFOLIO.json OUT.xlsx
use strict;
use warnings;
use utf8;
use JSON::PP;
use Excel::Writer::XLSX;

my ($json, $out) = @ARGV;
open my $fh, '<:raw', $json or die "$json: $!";
my $p = JSON::PP->new->utf8->decode(do { local $/; <$fh> });
my $wb = Excel::Writer::XLSX->new($out) or die "$out: $!";
$wb->set_properties(created => [0, 0, 0, 30, 8, 125]);
my $ws = $wb->add_worksheet('客户名单');
$ws->write_row(0, 0, $p->{header});
my $i = 1;
for my $r (@{ $p->{rows} }) {
    my $c = $r->{code};
    my $cell = $c->{kind} eq 'text' ? $c->{value}
             : $c->{kind} eq 'formula' ? '=' . $c->{formula}
             : undef;
    $ws->write($i, 0, $r->{no});
    $ws->write($i, 1, $r->{name});
    $ws->write($i, 2, $cell) if defined $cell;
    $ws->write($i, 3, $r->{note});
    $i++;
}
$wb->close or die "close: $!";
