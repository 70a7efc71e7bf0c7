// Makes the institutional video shown on INFORMATIONS: slides drawn on a canvas in headless
// Chromium and recorded with MediaRecorder (WebM/VP8, silent), its poster (WebP) and its French
// and English captions (WebVTT) from the same slide list, so text and timing cannot drift.
// Run by hand when the slides change: `node scripts/make-video.mjs`; the outputs are committed.
import { writeFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SECONDS = 5;
export const SLIDES = [
  { fr: ['Miliê, le portail du citoyen', 'Adressez une réclamation, une suggestion ou une observation à l\'Administration publique.'],
    en: ['Miliê, the citizens\' portal', 'Send a complaint, a suggestion or an observation to the public administration.'] },
  { fr: ['1. Soumettre une requête', 'Choisissez la nature, puis l\'organisme public. Décrivez votre préoccupation et laissez vos coordonnées.'],
    en: ['1. Submit a request', 'Choose its kind, then the public body. Describe your concern and leave your contact details.'] },
  { fr: ['2. Notez votre code', 'Un code à 8 chiffres s\'affiche à l\'écran. Vous le recevez aussi par e-mail et par SMS.'],
    en: ['2. Keep your code', 'An 8-digit code appears on screen. You also receive it by email and text message.'] },
  { fr: ['3. Suivez votre requête', 'Menu « Suivre une requête » : votre code et votre adresse e-mail. L\'analyste l\'examine, puis l\'organisme la traite.'],
    en: ['3. Follow your request', 'Menu "Follow a request": your code and email address. An analyst reviews it, then the body handles it.'] },
  { fr: ['4. Donnez votre avis', 'Satisfait, partiellement satisfait ou non satisfait : ou relancez votre requête.'],
    en: ['4. Give your opinion', 'Satisfied, partly satisfied or not satisfied: or reopen your request.'] },
  { fr: ['Besoin d\'aide ?', 'Lisez le guide sur milie.ci ou appelez l\'organisme concerné : ses numéros sont dans « Organismes ».'],
    en: ['Need help?', 'Read the guide on milie.ci or call the body concerned: its numbers are under "Bodies".'] },
];

function stamp(s) {
  return `00:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}.000`;
}

export function vtt(lang) {
  return 'WEBVTT\n\n' + SLIDES.map((slide, i) => `${i + 1}\n${stamp(i * SECONDS)} --> ${stamp((i + 1) * SECONDS)}\n${slide[lang][0]}\n${slide[lang][1]}\n`).join('\n');
}

async function record() {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--autoplay-policy=no-user-gesture-required'] });
  const page = await browser.newPage();
  const out = await page.evaluate(async ({ slides, seconds }) => {
    const canvas = document.createElement('canvas');
    canvas.width = 640; canvas.height = 360;
    document.body.append(canvas);
    const g = canvas.getContext('2d');
    const wrap = (text, width) => {
      const lines = []; let line = '';
      for (const word of text.split(' ')) {
        const next = line ? `${line} ${word}` : word;
        if (g.measureText(next).width > width && line) { lines.push(line); line = word; } else line = next;
      }
      return [...lines, line];
    };
    const draw = (slide, t) => {
      g.fillStyle = '#0b5d3b'; g.fillRect(0, 0, 640, 360);
      g.fillStyle = '#f77f00'; g.fillRect(0, 340, 640 * t, 20);
      g.fillStyle = '#ffffff'; g.font = 'bold 34px sans-serif';
      g.fillText(slide.fr[0], 40, 110);
      g.font = '24px sans-serif';
      wrap(slide.fr[1], 560).forEach((l, i) => g.fillText(l, 40, 170 + i * 34));
    };
    draw(slides[0], 0);
    const poster = canvas.toDataURL('image/webp', 0.7);
    const recorder = new MediaRecorder(canvas.captureStream(15), { mimeType: 'video/webm;codecs=vp8', videoBitsPerSecond: 150_000 });
    const chunks = [];
    recorder.ondataavailable = (e) => chunks.push(e.data);
    const done = new Promise((r) => { recorder.onstop = r; });
    recorder.start(1000);
    const start = performance.now();
    const total = slides.length * seconds * 1000;
    await new Promise((resolve) => {
      const tick = () => {
        const elapsed = performance.now() - start;
        if (elapsed >= total) return resolve();
        const i = Math.min(slides.length - 1, Math.floor(elapsed / (seconds * 1000)));
        draw(slides[i], elapsed / total);
        setTimeout(tick, 66);
      };
      tick();
    });
    recorder.stop();
    await done;
    const video = new Uint8Array(await new Blob(chunks, { type: 'video/webm' }).arrayBuffer());
    return { poster, video: Array.from(video) };
  }, { slides: SLIDES, seconds: SECONDS });
  await browser.close();
  await writeFile(join(ROOT, 'schema', 'media', 'video-institutionnelle.webm'), Buffer.from(out.video));
  await writeFile(join(ROOT, 'static', 'img', 'video-poster.webp'), Buffer.from(out.poster.split(',')[1], 'base64'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(join(ROOT, 'static', 'media', 'video-institutionnelle.fr.vtt'), vtt('fr'));
  await writeFile(join(ROOT, 'static', 'media', 'video-institutionnelle.en.vtt'), vtt('en'));
  await record();
  console.log('video, poster and captions written');
}
