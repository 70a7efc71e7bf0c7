"""Polygons for the data scripts: reading the OCHA rings, Douglas–Peucker simplification that keeps
neighbours sharing their boundary (each shared stretch is simplified once, so two sous-préfectures
never open a gap or overlap between them), the even–odd test the worker uses, and distances."""
import math


class RingError(Exception):
    """A ring the script refuses: it names the polygon and says what is wrong."""


def simplify(points, eps):
    """Douglas–Peucker on an open polyline (both ends kept)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        far, at = -1.0, None
        for i in range(a + 1, b):
            x, y = points[i]
            d = abs(dy * (x - x1) - dx * (y - y1)) / length if length else math.hypot(x - x1, y - y1)
            if d > far:
                far, at = d, i
        if at is not None and far > eps:
            keep[at] = True
            stack += [(a, at), (at, b)]
    return [p for p, k in zip(points, keep) if k]


def inside(rings, lon, lat):
    """Even–odd rule over every ring, as `domain::area::Area::contains` does it."""
    result = False
    for ring in rings:
        j = len(ring) - 1
        for i, (xi, yi) in enumerate(ring):
            xj, yj = ring[j]
            if (yi > lat) != (yj > lat) and lon < (xj - xi) * (lat - yi) / (yj - yi) + xi:
                result = not result
            j = i
    return result


def km(lat1, lon1, lat2, lon2):
    """Great-circle distance, as `domain::geo::Position::km_to`."""
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(min(1.0, math.sqrt(h)))


def km_to_rings(rings, lon, lat):
    """Distance from a point to the nearest edge of the rings (km, flat approximation near the
    point: good to a few metres at these scales)."""
    kx, ky = 111.32 * math.cos(math.radians(lat)), 110.57
    best = math.inf
    for ring in rings:
        for i in range(len(ring)):
            (x1, y1), (x2, y2) = ring[i - 1], ring[i]
            ax, ay = (x1 - lon) * kx, (y1 - lat) * ky
            bx, by = (x2 - lon) * kx, (y2 - lat) * ky
            dx, dy = bx - ax, by - ay
            t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy)))
            best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def read_rings(feature):
    """The rings of one GeoJSON Polygon or MultiPolygon feature as lists of (lon, lat), each closed
    in the file and returned open (the closing vertex dropped). Refuses an unclosed or degenerate ring."""
    code = feature["properties"].get("ADM3_PCODE") or "?"
    geometry = feature["geometry"]
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    if geometry["type"] not in ("Polygon", "MultiPolygon"):
        raise RingError(f"{code}: a {geometry['type']}, not a polygon")
    rings = []
    for polygon in polygons:
        for n, ring in enumerate(polygon):
            points = [(float(x), float(y)) for x, y, *_ in ring]
            if len(points) < 4 or points[0] != points[-1]:
                raise RingError(
                    f"{code} ({feature['properties'].get('ADM3_FR')}): ring {n + 1} does not close "
                    f"(first vertex {points[0] if points else None}, last {points[-1] if points else None})"
                )
            rings.append(points[:-1])
    return rings


def shared_simplification(areas, tolerance):
    """Simplifies every ring of `areas` ({code: [ring, …]}) so that neighbours keep one boundary:
    rings are cut at their nodes (vertices with other than two neighbours over all rings, where
    three areas or an area and the outside meet) into arcs, each arc simplified once at
    `tolerance(code set)` and shared by the rings that run along it.

    `tolerance` maps the frozenset of area codes an arc belongs to onto degrees. Returns
    {code: [ring, …]}."""
    neighbours = {}
    owners = {}
    for code, rings in areas.items():
        for ring in rings:
            n = len(ring)
            for i, v in enumerate(ring):
                neighbours.setdefault(v, set()).update((ring[i - 1], ring[(i + 1) % n]))
                owners.setdefault(v, set()).add(code)
    node = {v for v, ns in neighbours.items() if len(ns) != 2}
    done = {}
    out = {}
    for code, rings in areas.items():
        result = []
        for ring in rings:
            cuts = [i for i, v in enumerate(ring) if v in node]
            if not cuts:
                # A ring alone (an island, or an area inside another): its first vertex and the
                # vertex farthest from it are its nodes.
                far = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - ring[0][0], ring[i][1] - ring[0][1]))
                cuts = [0, far] if far else [0]
            simple = []
            for k, start in enumerate(cuts):
                end = cuts[(k + 1) % len(cuts)]
                arc = ring[start : end + 1] if end > start else ring[start:] + ring[: end + 1]
                key = tuple(arc) if arc <= arc[::-1] else tuple(arc[::-1])
                if key not in done:
                    members = frozenset.intersection(*(frozenset(owners[v]) for v in key))
                    done[key] = simplify(list(key), tolerance(members))
                piece = done[key] if tuple(arc) == key else done[key][::-1]
                simple += piece[:-1]
            result.append(simple)
        out[code] = result
    return out
