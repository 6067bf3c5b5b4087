/* Tableau de bord national IAE en détention.
 *
 * Les chiffres intégrés à la page sont déjà protégés par le secret statistique (un chiffre masqué
 * n'y figure pas, seul le texte affiché à sa place). Ce script lit les filtres, choisit les
 * chiffres de la zone et de la période, et les donne aux vues Vega (view.data), aux tuiles et aux
 * tableaux. window.tableauDeBord expose les vues et un compteur de mises à jour (tests).
 */
"use strict";

const DONNEES = JSON.parse(document.getElementById("donnees").textContent);
const SPECS = JSON.parse(document.getElementById("vues").textContent);
const NATION = "FR";
const SEMESTRES_AFFICHES = 6;
const JOURNAL_ERREURS = 1; // vega.Error : le paquet de vl-convert n'expose pas l'objet vega

const FORMATS = {
  nombre: new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 }),
  points: new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: "exceptZero" }),
  ecart: new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1, signDisplay: "exceptZero" }),
};
/* La règle d'affichage de chaque unité vient des données (reports/formatting.py) : un format
 * par nombre de décimales, créé au premier usage. */
const FORMATS_DECIMALES = new Map();
function avecDecimales(n) {
  if (!FORMATS_DECIMALES.has(n)) {
    FORMATS_DECIMALES.set(n, new Intl.NumberFormat("fr-FR", { minimumFractionDigits: n, maximumFractionDigits: n }));
  }
  return FORMATS_DECIMALES.get(n);
}

const parCode = (liste, champ) => new Map(liste.map((x) => [x[champ], x]));
const ZONES = parCode(DONNEES.zones, "code");
const PERIODES = parCode(DONNEES.periodes, "code");
const INDICATEURS = parCode(DONNEES.indicateurs, "id");
const STATUTS = DONNEES.statuts;

/* Chiffres par zone, période et indicateur : { valeur, effectif, masque }. */
const cle = (zone, periode, indicateur) => `${zone}|${periode}|${indicateur}`;
const CHIFFRES = new Map(
  DONNEES.valeurs.map(([z, p, i, valeur, effectif, masque]) => [
    cle(DONNEES.zones[z].code, DONNEES.periodes[p].code, DONNEES.indicateurs[i].id),
    { valeur, effectif, masque: masque === null ? null : DONNEES.masques[masque] },
  ]),
);
const chiffre = (zone, periode, indicateur) => CHIFFRES.get(cle(zone, periode, indicateur)) || null;
const estPourcentage = (id) => INDICATEURS.get(id).format.echelle === 100;

/* Textes affichés, aux formats des dossiers COPIL (12,5 %, 1 350, 45 jours). */
function valeurTexte(id, c) {
  if (c === null || c.valeur === null) return c && c.masque ? c.masque : "–";
  const { echelle, decimales, suffixe } = INDICATEURS.get(id).format;
  return `${avecDecimales(decimales).format(echelle * c.valeur)}${suffixe}`;
}

function effectifTexte(id, c) {
  const base = INDICATEURS.get(id).base;
  if (c === null || c.effectif === null || !base) return "";
  return `${base.toLowerCase()} : ${FORMATS.nombre.format(c.effectif)}`;
}

function etiquette(id, c) {
  const effectif = effectifTexte(id, c);
  return effectif ? `${valeurTexte(id, c)} (${effectif})` : valeurTexte(id, c);
}

function ecartTexte(id, ici, avant) {
  if (ici === null || avant === null || ici.valeur === null || avant.valeur === null) return "";
  const ecart = ici.valeur - avant.valeur;
  return ` (${estPourcentage(id) ? `${FORMATS.points.format(100 * ecart)} pt` : FORMATS.ecart.format(ecart)})`;
}

/* Filtres : type de période, période, DISP, département, site (en cascade). */
const FILTRES = ["type", "periode", "disp", "departement", "site"].reduce(
  (filtres, nom) => ({ ...filtres, [nom]: document.getElementById(`filtre-${nom}`) }),
  {},
);

function remplirSelect(select, options, valeur) {
  select.replaceChildren(...options.map(([code, libelle]) => new Option(libelle, code)));
  select.value = options.some(([code]) => code === valeur) ? valeur : options[0][0];
}

const zonesDe = (maille, garder) =>
  DONNEES.zones.filter((z) => z.maille === maille && garder(z)).map((z) => [z.code, z.libelle]);

/* Par défaut, la dernière période complète : une année en cours ne se compare pas à la précédente. */
function remplirPeriodes(valeur) {
  const periodes = DONNEES.periodes.filter((p) => p.type === FILTRES.type.value).reverse();
  const complete = periodes.find((p) => !p.partielle) || periodes[0];
  remplirSelect(FILTRES.periode, periodes.map((p) => [p.code, p.libelle]), valeur ?? complete.code);
}

function remplirZones() {
  const disp = FILTRES.disp.value;
  const departement = FILTRES.departement.value;
  remplirSelect(
    FILTRES.departement,
    [["", "Tous les départements"], ...zonesDe("departement", (z) => !disp || z.disp === disp)],
    departement,
  );
  const dep = FILTRES.departement.value;
  remplirSelect(
    FILTRES.site,
    [["", "Tous les sites"], ...zonesDe("site", (z) => (dep ? z.departement === dep : !disp || z.disp === disp))],
    FILTRES.site.value,
  );
}

/* Choisir un site ou un département fixe aussi les niveaux au-dessus. */
function remonter(code) {
  const zone = ZONES.get(code);
  if (zone) FILTRES.disp.value = zone.disp;
  remplirZones();
  if (zone && zone.maille === "site") {
    FILTRES.departement.value = zone.departement;
    remplirZones();
    FILTRES.site.value = zone.code;
  }
}

function initialiserFiltres() {
  remplirSelect(FILTRES.type, [["semestre", "Semestre"], ["annee", "Année"]], "semestre");
  remplirPeriodes(null);
  remplirSelect(FILTRES.disp, [["", "Toutes les DISP (France)"], ...zonesDe("disp", () => true)], "");
  remplirZones();
  FILTRES.type.addEventListener("change", () => { remplirPeriodes(null); mettreAJour(); });
  FILTRES.periode.addEventListener("change", mettreAJour);
  FILTRES.disp.addEventListener("change", () => { remplirZones(); mettreAJour(); });
  FILTRES.departement.addEventListener("change", () => { remonter(FILTRES.departement.value); mettreAJour(); });
  FILTRES.site.addEventListener("change", () => { remonter(FILTRES.site.value); mettreAJour(); });
  MAILLE_COMPAREE.addEventListener("change", mettreAJour);
}

function choix() {
  const code = FILTRES.site.value || FILTRES.departement.value || FILTRES.disp.value || NATION;
  const periode = PERIODES.get(FILTRES.periode.value);
  const memeType = DONNEES.periodes.filter((p) => p.type === periode.type);
  return {
    zone: ZONES.get(code),
    periode,
    precedente: memeType[memeType.indexOf(periode) - 1] || null,
    periodesDuType: memeType,
  };
}

const DANS_ZONE = {
  nation: () => true,
  disp: (site, zone) => site.disp === zone.code,
  departement: (site, zone) => site.departement === zone.code,
  site: (site, zone) => site.code === zone.code,
};
const sitesDe = (zone) => DONNEES.zones.filter((z) => z.maille === "site" && DANS_ZONE[zone.maille](z, zone));

/* Tuiles : la zone, la France et la période précédente. */
function afficherTuiles({ zone, periode, precedente }) {
  for (const tuile of document.querySelectorAll("[data-tuile]")) {
    const id = tuile.dataset.tuile;
    const ici = chiffre(zone.code, periode.code, id);
    const avant = precedente && chiffre(zone.code, precedente.code, id);
    const champs = {
      valeur: ici === null && zone.maille === "site" ? "non publié par site" : valeurTexte(id, ici),
      effectif: effectifTexte(id, ici),
      france: zone.code === NATION ? "" : `France : ${valeurTexte(id, chiffre(NATION, periode.code, id))}`,
      precedente: precedente
        ? `${precedente.libelle} : ${valeurTexte(id, avant)}${periode.partielle ? "" : ecartTexte(id, ici, avant)}`
        : "",
    };
    tuile.classList.toggle("tuile--masquee", ici === null || ici.valeur === null);
    for (const [nom, texte] of Object.entries(champs)) tuile.querySelector(`[data-champ="${nom}"]`).textContent = texte;
  }
}

/* Lignes des vues Vega. */
function lignesTendances({ zone, periode, periodesDuType }) {
  const nation = ZONES.get(NATION);
  const lignes = [];
  for (const id of DONNEES.vues.tendances) {
    const series = zone.code !== NATION && estPourcentage(id) ? [[zone, "zone"], [nation, "nation"]] : [[zone, "zone"]];
    for (const p of periodesDuType) {
      for (const [z, role] of series) {
        const c = chiffre(z.code, p.code, id);
        if (c === null) continue;
        lignes.push({
          indicateur: id, libelle: INDICATEURS.get(id).libelle, periode: p.code, libelle_periode: p.libelle,
          debut: p.debut, role, serie: z.libelle, valeur: c.valeur, texte: valeurTexte(id, c),
          effectif: effectifTexte(id, c), courante: p.code === periode.code,
        });
      }
    }
  }
  return lignes;
}

/* Les panneaux d'évolution où la zone n'a aucun point : dits en toutes lettres, comme dans les
 * dossiers (un panneau vide ne dit pas pourquoi). */
function afficherTendancesVides(lignes) {
  const tracees = new Set(lignes.filter((l) => l.role === "zone" && l.valeur !== null).map((l) => l.indicateur));
  const vides = DONNEES.vues.tendances.filter((id) => !tracees.has(id)).map((id) => INDICATEURS.get(id).libelle);
  const note = document.getElementById("tendances-vides");
  note.hidden = vides.length === 0;
  note.textContent = `Aucun point pour : ${vides.join(" ; ")} (chiffres masqués, pas encore mesurables ou sans livraison).`;
}

/* Comparaison : les départements de la DISP choisie, ou les sites de la zone choisie. */
const MAILLE_COMPAREE = document.getElementById("maille-comparee");

function zonesComparees(zone) {
  if (MAILLE_COMPAREE.value === "site") {
    const englobante = zone.maille === "site" ? ZONES.get(zone.departement) : zone;
    return [sitesDe(englobante), FILTRES.site.value];
  }
  const disp = FILTRES.disp.value;
  const departements = DONNEES.zones.filter((z) => z.maille === "departement" && (!disp || z.disp === disp));
  return [departements, FILTRES.departement.value];
}

function lignesComparees({ zone, periode }) {
  const [comparees, choisi] = zonesComparees(zone);
  return comparees.flatMap((d) =>
    DONNEES.vues.comparaison
      .map((id) => [id, chiffre(d.code, periode.code, id)])
      .filter(([, c]) => c !== null)
      .map(([id, c]) => ({
        code_zone: d.code, libelle: d.libelle, indicateur: id, valeur: c.valeur, texte: valeurTexte(id, c),
        effectif: effectifTexte(id, c), etiquette: etiquette(id, c), selectionne: d.code === choisi,
      })),
  );
}

function lignesNationales({ periode }) {
  return DONNEES.vues.comparaison
    .map((id) => [id, chiffre(NATION, periode.code, id)])
    .filter(([, c]) => c !== null && c.valeur !== null)
    .map(([id, c]) => ({ indicateur: id, valeur: c.valeur, etiquette: `France : ${valeurTexte(id, c)}` }));
}

/* Ventilations de la zone et de la période : sorties par motif, libérations par situation. */
function lignesVentilations({ zone, periode }) {
  return DONNEES.ventilations.flatMap(({ groupe, categories }) =>
    categories.map(([id, categorie], ordre) => {
      const c = chiffre(zone.code, periode.code, id);
      const valeur = c === null ? null : c.valeur;
      return { groupe, categorie, ordre, valeur, position: valeur ?? 0, texte: valeurTexte(id, c) };
    }),
  );
}

/* Livraisons : [site, semestre, pire état, parcours, personnel, suivi, écarts]. */
const semestresDe = (periode) =>
  periode.type === "semestre" ? [periode.code] : [`${periode.code}-S1`, `${periode.code}-S2`];
const libelleStatut = (i) => (i === null ? "–" : STATUTS[i].libelle);

function livraisonsDe(zone, semestres) {
  const sites = new Set(sitesDe(zone).map((s) => s.code));
  return DONNEES.livraisons
    .filter(([site, semestre]) => sites.has(DONNEES.zones[site].code) && semestres.includes(semestre))
    .map(([site, semestre, statut, parcours, personnel, suivi, ecarts]) => ({
      site: DONNEES.zones[site].libelle, code_site: DONNEES.zones[site].code, periode: semestre,
      libelle_periode: PERIODES.has(semestre) ? PERIODES.get(semestre).libelle : semestre,
      statut: STATUTS[statut].code, libelle_statut: libelleStatut(statut), parcours: libelleStatut(parcours),
      personnel: libelleStatut(personnel), suivi: libelleStatut(suivi), anomalies: ecarts ? "oui" : "non",
    }));
}

function lignesLivraisons({ zone, periode }) {
  const derniers = semestresDe(periode).filter((s) => DONNEES.semestres_livres.includes(s));
  const fin = DONNEES.semestres_livres.indexOf(derniers[derniers.length - 1]);
  const semestres = DONNEES.semestres_livres.slice(Math.max(0, fin + 1 - SEMESTRES_AFFICHES), fin + 1);
  return livraisonsDe(zone, semestres);
}

/* Tableaux HTML. */
function remplirTableau(id, lignes, classe = "") {
  document.querySelector(`#${id} tbody`).replaceChildren(
    ...lignes.map((cellules) => {
      const tr = document.createElement("tr");
      cellules.forEach((texte, n) => {
        const td = document.createElement(n === 0 ? "th" : "td");
        if (n === 0) td.scope = "row";
        else td.className = classe;
        td.textContent = texte;
        tr.append(td);
      });
      return tr;
    }),
  );
}

function afficherSites({ zone, periode }) {
  const colonnes = [...document.querySelectorAll("#tableau-sites th[data-indicateur]")].map((th) => th.dataset.indicateur);
  const lignes = sitesDe(zone)
    .map((s) => [s, colonnes.map((id) => chiffre(s.code, periode.code, id))])
    .filter(([, chiffres]) => chiffres.some((c) => c !== null))
    .map(([s, chiffres]) => [s.libelle, ...chiffres.map((c, n) => valeurTexte(colonnes[n], c))]);
  remplirTableau("tableau-sites", lignes, "nombre");
}

function afficherLivraisons({ zone, periode }) {
  const livraisons = livraisonsDe(zone, semestresDe(periode));
  const aTemps = livraisons.filter((l) => l.statut === "a_l_heure").length;
  document.getElementById("synthese-livraisons").textContent = livraisons.length
    ? `${periode.libelle} : ${aTemps} livraison(s) à temps sur ${livraisons.length} attendue(s) (une par site et semestre, ses trois exports).`
    : `${periode.libelle} : aucune livraison attendue dans cette zone.`;
  remplirTableau(
    "tableau-livraisons",
    livraisons
      .filter((l) => l.statut !== "a_l_heure")
      .map((l) => [l.site, l.libelle_periode, l.parcours, l.personnel, l.suivi]),
  );
}

/* Mise à jour de toutes les vues. */
const tableauDeBord = { vues: {}, misesAJour: 0 };
window.tableauDeBord = tableauDeBord;

function remplirVue(vue, sources) {
  for (const [nom, lignes] of Object.entries(sources)) vue.data(nom, lignes);
  return vue.resize().runAsync(); // le nombre de panneaux ou de lignes change : refaire la mise en page
}

async function mettreAJour() {
  const c = choix();
  document.getElementById("titre-zone").textContent = `${c.zone.libelle} — ${c.periode.libelle}`;
  document.getElementById("legende-zone").textContent = c.zone.libelle;
  document.getElementById("legende-france").hidden = c.zone.code === NATION;
  afficherTuiles(c);
  afficherSites(c);
  afficherLivraisons(c);
  const { tendances, comparaison, ventilations, livraisons } = tableauDeBord.vues;
  const lignes = lignesTendances(c);
  afficherTendancesVides(lignes);
  await Promise.all([
    remplirVue(tendances, { tendances: lignes }),
    remplirVue(comparaison, { departements: lignesComparees(c), national: lignesNationales(c) }),
    remplirVue(ventilations, { ventilations: lignesVentilations(c) }),
    remplirVue(livraisons, { livraisons: lignesLivraisons(c) }),
  ]);
  tableauDeBord.misesAJour += 1;
}

function afficherDefinition(id) {
  document.getElementById("definition-indicateur").textContent = INDICATEURS.get(id).definition;
}

async function demarrer() {
  if (!DONNEES.periodes.length) {
    document.getElementById("titre-zone").textContent = "Aucune donnée livrée pour le moment.";
    return;
  }
  const options = { actions: false, renderer: "svg", logLevel: JOURNAL_ERREURS };
  for (const [nom, spec] of Object.entries(SPECS)) {
    tableauDeBord.vues[nom] = (await vegaEmbed(`#vue-${nom}`, spec, options)).view;
  }
  const comparaison = tableauDeBord.vues.comparaison;
  afficherDefinition(comparaison.signal("indicateur"));
  comparaison.addSignalListener("indicateur", (_, id) => afficherDefinition(id));
  initialiserFiltres();
  await mettreAJour();
  document.getElementById("contenu").dataset.etat = "pret";
}

demarrer();
