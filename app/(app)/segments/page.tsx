export default function SegmentsPage() {
  return <p>Segments</p>;
}
