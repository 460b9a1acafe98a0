#!/usr/bin/env python3
"""Generates the sample directory jitd's tests and demo import: departments, users and
devices of an invented hospital. Deterministic: running it again writes the same files.

    python3 sample/generate.py        # rewrites sample/*.csv
"""

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEMO_PASSWORD = "jit-demo-2026"

DEPARTMENTS = [
    ("Cardiology", "CARD"),
    ("Radiology", "RAD"),
    ("Laboratory", "LAB"),
    ("Emergency Department", "ED"),
    ("Intensive Care", "ICU"),
    ("Oncology", "ONC"),
    ("Paediatrics", "PAED"),
    ("Pharmacy", "PHARM"),
    ("General Surgery", "SURG"),
    ("Neurology", "NEURO"),
    ("Obstetrics", "OBS"),
    ("Medical Records", "MREC"),
    ("Identity and Access Management", "IAM"),
]

# Known accounts for tests and the demo, with the sample-only password above.
DEMO_USERS = [
    ("alice", "Alice Martin", "Cardiology", "requester", ""),
    ("bob", "Bob Keller", "Cardiology", "requester", ""),
    ("carol", "Carol Weber", "Cardiology", "requester;rp", "Cardiology"),
    ("ravi", "Ravi Nair", "Cardiology", "requester;rp", "Cardiology"),
    ("dave", "Dave Fischer", "Radiology", "requester;rp", "Radiology"),
    ("lara", "Lara Rossi", "Laboratory", "requester", ""),
    ("ivan", "Ivan Petrov", "Identity and Access Management", "iam", ""),
    ("ada", "Ada Huber", "Identity and Access Management", "admin;iam", ""),
]

FIRST = """Anna Ben Chiara David Elena Felix Greta Hannah Igor Jana Karim Lea Marco Nina Oskar
Paula Quentin Rosa Stefan Tanja Ugo Vera Walter Xenia Yusuf Zoe Amir Beatrice Claudio Dana
Emil Fatima Georg Helena Ines Jonas Katrin Luca Mira Noah Olga Pietro Ruth Samuel Tobias
Ursula Viktor Wanda""".split()
LAST = """Ammann Bauer Conti Dubois Egger Frei Gerber Hofmann Imhof Jost Kaufmann Lehmann Meier
Nussbaum Oberholzer Pfister Quadri Roth Schmid Tanner Ulrich Vogel Wyss Zimmermann Bianchi
Costa Duarte Esposito Ferrari Gallo Horvat Ivanova Jovanovic Kowalski Lindqvist Moreau Novak
Olsen Popescu Rinaldi Silva Torres Varga Weiss""".split()


def main():
    rng = random.Random(20261203)
    write("departments.csv", ["name"], [[name] for name, _ in DEPARTMENTS])

    users = []
    taken = set()
    for username, display, department, roles, rp_of in DEMO_USERS:
        email = f"{username}@hospital.example"
        users.append([username, display, email, department, roles, rp_of, DEMO_PASSWORD])
        taken.add(username)
    for department, _ in DEPARTMENTS:
        if department == "Identity and Access Management":
            staff = [("iam", 6)]
        else:
            staff = [("requester;rp", 2), ("requester", 20)]
        for roles, count in staff:
            for _ in range(count):
                first, last = rng.choice(FIRST), rng.choice(LAST)
                base = f"{first[0]}{last}".lower()
                username = base
                n = 2
                while username in taken:
                    username = f"{base}{n}"
                    n += 1
                taken.add(username)
                rp_of = department if "rp" in roles else ""
                email = f"{username}@hospital.example"
                users.append([username, f"{first} {last}", email, department, roles, rp_of, ""])
    header = ["username", "display_name", "email", "department", "roles", "rp_of",
              "initial_password"]
    write("users.csv", header, users)

    devices = []
    for department, prefix in DEPARTMENTS:
        if prefix == "LAB":
            # LAB-PC1 and LAB-PC10 both exist: names match exactly, never by prefix.
            devices += [[f"LAB-PC{n}"] for n in range(1, 21)]
        else:
            devices += [[f"{prefix}-PC{n:03d}"] for n in range(1, 21)]
    write("devices.csv", ["name"], devices)


def write(name, header, rows):
    with open(HERE / name, "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


if __name__ == "__main__":
    main()
