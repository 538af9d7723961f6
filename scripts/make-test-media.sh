#!/usr/bin/env bash
# Test and demo video, generated with Debian's ffmpeg from its test pattern (never committed):
#   hls-ts/index.m3u8     HLS, MPEG-TS segments (H.264 baseline + AAC)
#   hls-fmp4/index.m3u8   HLS, fMP4 segments (H.264)
#   stream.flv            FLV (H.264 + AAC), for HTTP-FLV
#   clip.webm             WebM (VP9)
#   clip.mp4              MP4 (H.264, faststart)
#   stream.mjpeg          concatenated JPEG frames (the host serves .mjpeg as live multipart MJPEG)
#
# usage: scripts/make-test-media.sh OUTDIR [SECONDS]
#   MEDIA_SIZE (default 320x180) and MEDIA_FPS (default 25) set the picture.
# Put them in <dataDir>/media and the host serves them under /media/; on a store where no camera
# has a stream yet, the core attaches them to the cameras at start (video.attachMedia does it on demand).
set -euo pipefail

out="${1:?usage: $0 OUTDIR [SECONDS]}"
secs="${2:-20}"
size="${MEDIA_SIZE:-320x180}"
fps="${MEDIA_FPS:-25}"
command -v ffmpeg >/dev/null || { echo "make-test-media: ffmpeg is not installed (apt-get install ffmpeg)" >&2; exit 1; }

stamp="$out/.media-stamp"
want="v1 $secs $size $fps"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  echo "make-test-media: $out is up to date"
  exit 0
fi
mkdir -p "$out/hls-ts" "$out/hls-fmp4"
rm -f "$out"/hls-ts/* "$out"/hls-fmp4/*

ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
video=(-f lavfi -i "testsrc=size=${size}:rate=${fps}")
audio=(-f lavfi -i "sine=frequency=440:sample_rate=44100")
h264=(-c:v libx264 -preset ultrafast -tune zerolatency -profile:v baseline -pix_fmt yuv420p -g "$fps" -keyint_min "$fps" -sc_threshold 0)
aac=(-c:a aac -b:a 64k -ac 1)

ff "${video[@]}" "${audio[@]}" -t "$secs" "${h264[@]}" "${aac[@]}" -shortest \
  -f hls -hls_time 1 -hls_list_size 0 -hls_playlist_type vod -hls_segment_filename "$out/hls-ts/seg%03d.ts" "$out/hls-ts/index.m3u8"
ff "${video[@]}" -t "$secs" "${h264[@]}" \
  -f hls -hls_time 1 -hls_list_size 0 -hls_playlist_type vod -hls_segment_type fmp4 -hls_fmp4_init_filename init.mp4 \
  -hls_segment_filename "$out/hls-fmp4/seg%03d.m4s" "$out/hls-fmp4/index.m3u8"
ff "${video[@]}" "${audio[@]}" -t "$secs" "${h264[@]}" "${aac[@]}" -shortest -f flv "$out/stream.flv"
ff "${video[@]}" -t "$secs" -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -row-mt 1 -b:v 300k -g "$fps" -pix_fmt yuv420p "$out/clip.webm"
ff "${video[@]}" -t "$secs" "${h264[@]}" -movflags +faststart "$out/clip.mp4"
ff -f lavfi -i "testsrc=size=${size}:rate=10" -t "$secs" -c:v mjpeg -q:v 6 -f mjpeg "$out/stream.mjpeg"

echo "$want" > "$stamp"
echo "make-test-media: wrote $(find "$out" -type f ! -name '.media-stamp' | wc -l) files to $out"
