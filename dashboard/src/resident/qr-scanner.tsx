import { useEffect, useRef, useState } from 'preact/hooks';
import { numberFromScan } from './qr-number.ts';
import type { ResidentStrings } from './strings.ts';

/**
 * Scanning an object's QR label with the phone's camera, where the browser has the
 * BarcodeDetector API (Chrome on Android; not Safari or Firefox today). Where it has not, the
 * button is not shown: typing the number does the same. No scanning library is shipped - it
 * would weigh more than the whole page.
 */

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
type BarcodeDetectorClass = new (opts: { formats: string[] }) => BarcodeDetectorLike;

function barcodeDetector(): BarcodeDetectorClass | undefined {
  const found = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  return typeof found === 'function' && typeof navigator.mediaDevices?.getUserMedia === 'function' ? found : undefined;
}

export function canScan(): boolean {
  return barcodeDetector() !== undefined;
}

/** How often a frame is looked at: often enough to feel instant, rarely enough for a cheap phone. */
const SCAN_EVERY_MS = 250;

export function QrScanner({ t, onNumber }: { t: ResidentStrings; onNumber: (number: string) => void }) {
  const [open, setOpen] = useState(false);
  const [failed, setFailed] = useState(false);
  const video = useRef<HTMLVideoElement>(null);

  useEffect(() => {
    if (!open) return;
    const Detector = barcodeDetector();
    if (!Detector) return;
    let stream: MediaStream | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const detector = new Detector({ formats: ['qr_code'] });
    const look = async () => {
      if (stopped || !video.current) return;
      try {
        const codes = video.current.readyState >= 2 ? await detector.detect(video.current) : [];
        const number = codes.length > 0 ? numberFromScan(codes[0]?.rawValue ?? '') : '';
        if (number && !stopped) {
          setOpen(false);
          onNumber(number);
          return;
        }
      } catch {
        // A frame the detector could not read: the next one may do.
      }
      timer = setTimeout(look, SCAN_EVERY_MS);
    };
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then(async (media) => {
        stream = media;
        if (stopped || !video.current) return;
        video.current.srcObject = media;
        await video.current.play();
        void look();
      })
      .catch(() => {
        setFailed(true);
        setOpen(false);
      });
    return () => {
      stopped = true;
      clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
    };
  }, [open, onNumber]);

  if (!canScan()) return null;
  return (
    <div class="scanner">
      <button
        type="button"
        class="secondary"
        aria-expanded={open}
        onClick={() => {
          setFailed(false);
          setOpen(!open);
        }}
      >
        {open ? t.scanStop : t.scan}
      </button>
      {open && (
        <div class="scanner-view">
          <p>{t.scanning}</p>
          <video ref={video} aria-label={t.scanVideo} muted playsInline />
        </div>
      )}
      {failed && (
        <p class="error" role="alert">
          {t.scanNoCamera}
        </p>
      )}
    </div>
  );
}
