import type { Config } from 'tailwindcss';

// Loaded from app/globals.css with @config. Brand colours live here.
export default {
  content: ['./app/**/*.{ts,tsx}', './components/**/*.{ts,tsx}'],
  theme: {
    extend: {
      colors: {
        brand: { 50: '#eef6ff', 100: '#d9eaff', 500: '#2f6fed', 600: '#1f58d1', 700: '#1a47a8' },
      },
    },
  },
} satisfies Config;
