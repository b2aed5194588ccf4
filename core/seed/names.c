/*
 * names: data tables for `comptoir seed` (see names.h). Names are common
 * French and Belgian ones; cities and postcodes are real; companies,
 * estates and book titles are made up.
 */
#include "seed/names.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define TABLE(type, name) const type name[]
#define COUNTED(name) const size_t name##_n = COUNT(name)

TABLE(struct seed_word, seed_first_f_fr) = {
	{ "Marie", 30 }, { "Nathalie", 16 }, { "Isabelle", 16 }, { "Sylvie", 14 },
	{ "Catherine", 14 }, { "Sophie", 14 }, { "Christine", 12 }, { "Valérie", 12 },
	{ "Sandrine", 12 }, { "Céline", 12 }, { "Stéphanie", 12 }, { "Véronique", 10 },
	{ "Julie", 14 }, { "Aurélie", 12 }, { "Camille", 14 }, { "Laura", 12 },
	{ "Emma", 12 }, { "Léa", 14 }, { "Chloé", 12 }, { "Manon", 12 },
	{ "Inès", 8 }, { "Jade", 8 }, { "Louise", 10 }, { "Alice", 10 },
	{ "Zoé", 8 }, { "Anaïs", 8 }, { "Clémence", 8 }, { "Pauline", 10 },
	{ "Mathilde", 8 }, { "Émilie", 12 }, { "Élodie", 10 }, { "Audrey", 8 },
	{ "Caroline", 10 }, { "Hélène", 10 }, { "Anne", 14 }, { "Martine", 10 },
	{ "Françoise", 10 }, { "Monique", 8 }, { "Brigitte", 8 }, { "Nicole", 8 },
	{ "Claire", 10 }, { "Agnès", 6 }, { "Florence", 8 }, { "Virginie", 8 },
	{ "Laetitia", 6 }, { "Gaëlle", 5 }, { "Margaux", 6 }, { "Océane", 5 },
	{ "Lucie", 8 }, { "Charlotte", 8 }, { "Juliette", 6 }, { "Amandine", 6 },
	{ "Mélanie", 8 }, { "Sarah", 10 }, { "Fatima", 5 }, { "Yasmine", 4 },
	{ "Nadia", 5 }, { "Josiane", 4 }, { "Geneviève", 4 }, { "Maëlle", 4 },
};
COUNTED(seed_first_f_fr);

TABLE(struct seed_word, seed_first_m_fr) = {
	{ "Jean", 24 }, { "Philippe", 16 }, { "Michel", 16 }, { "Alain", 14 },
	{ "Patrick", 14 }, { "Nicolas", 16 }, { "Christophe", 14 }, { "Pierre", 16 },
	{ "Christian", 12 }, { "Éric", 12 }, { "Frédéric", 12 }, { "Laurent", 12 },
	{ "Stéphane", 12 }, { "David", 12 }, { "Olivier", 12 }, { "Sébastien", 12 },
	{ "Julien", 14 }, { "Thomas", 14 }, { "Alexandre", 10 },
	{ "Guillaume", 10 }, { "Antoine", 10 }, { "Maxime", 10 }, { "Romain", 10 },
	{ "Lucas", 10 }, { "Hugo", 10 }, { "Louis", 10 }, { "Gabriel", 8 },
	{ "Arthur", 8 }, { "Léo", 8 }, { "Raphaël", 8 }, { "Jules", 8 },
	{ "Mathieu", 10 }, { "Vincent", 10 }, { "François", 10 }, { "Jérôme", 8 },
	{ "Bernard", 8 }, { "Daniel", 8 }, { "Gérard", 8 }, { "Jacques", 10 },
	{ "Didier", 8 }, { "Thierry", 8 }, { "Pascal", 8 }, { "Yves", 6 },
	{ "Benoît", 6 }, { "Cédric", 6 }, { "Fabien", 6 }, { "Damien", 6 },
	{ "Mickaël", 5 }, { "Kévin", 6 }, { "Anthony", 6 }, { "Florian", 6 },
	{ "Mohamed", 6 }, { "Karim", 4 }, { "Yannick", 4 }, { "Hervé", 5 },
	{ "Gilles", 6 }, { "Noël", 3 }, { "Loïc", 5 }, { "Grégoire", 3 },
};
COUNTED(seed_first_m_fr);

TABLE(struct seed_word, seed_first_f_be) = {
	{ "Marie", 10 }, { "Nathalie", 6 }, { "Isabelle", 6 }, { "Martine", 6 },
	{ "Anne", 6 }, { "Christine", 5 }, { "Véronique", 5 }, { "Catherine", 5 },
	{ "Emma", 6 }, { "Louise", 6 }, { "Olivia", 5 }, { "Elise", 4 },
	{ "Chloé", 4 }, { "Juliette", 4 }, { "Amélie", 4 }, { "Charlotte", 4 },
	{ "Manon", 4 }, { "Noémie", 4 }, { "Justine", 4 }, { "Marine", 4 },
	{ "Laurence", 4 }, { "Françoise", 4 }, { "Bénédicte", 3 }, { "Ghislaine", 2 },
};
COUNTED(seed_first_f_be);

TABLE(struct seed_word, seed_first_m_be) = {
	{ "Jean", 8 }, { "Michel", 6 }, { "Marc", 6 }, { "Philippe", 6 },
	{ "Luc", 5 }, { "Patrick", 5 }, { "Pierre", 5 }, { "Jacques", 4 },
	{ "Thibault", 4 }, { "Arnaud", 4 }, { "Maxime", 4 }, { "Nicolas", 4 },
	{ "Louis", 5 }, { "Arthur", 5 }, { "Noah", 5 }, { "Victor", 4 },
	{ "Lucas", 4 }, { "Adrien", 3 }, { "Benoît", 3 }, { "Quentin", 4 },
	{ "Olivier", 4 }, { "Didier", 3 }, { "Frédéric", 3 }, { "Ghislain", 2 },
};
COUNTED(seed_first_m_be);

TABLE(struct seed_word, seed_last_fr) = {
	{ "Martin", 30 }, { "Bernard", 16 }, { "Thomas", 14 }, { "Petit", 14 },
	{ "Robert", 14 }, { "Richard", 14 }, { "Durand", 14 }, { "Dubois", 14 },
	{ "Moreau", 14 }, { "Laurent", 12 }, { "Simon", 12 }, { "Michel", 12 },
	{ "Lefebvre", 12 }, { "Leroy", 12 }, { "Roux", 10 }, { "David", 10 },
	{ "Bertrand", 10 }, { "Morel", 10 }, { "Fournier", 10 }, { "Girard", 10 },
	{ "Bonnet", 10 }, { "Dupont", 10 }, { "Lambert", 10 }, { "Fontaine", 9 },
	{ "Rousseau", 9 }, { "Vincent", 9 }, { "Muller", 9 }, { "Lefèvre", 9 },
	{ "Faure", 9 }, { "André", 9 }, { "Mercier", 9 }, { "Blanc", 9 },
	{ "Guérin", 8 }, { "Boyer", 8 }, { "Garnier", 8 }, { "Chevalier", 8 },
	{ "François", 8 }, { "Legrand", 8 }, { "Gauthier", 8 }, { "Garcia", 8 },
	{ "Perrin", 8 }, { "Robin", 8 }, { "Clément", 8 }, { "Morin", 8 },
	{ "Nicolas", 7 }, { "Henry", 7 }, { "Roussel", 7 }, { "Mathieu", 7 },
	{ "Gautier", 7 }, { "Masson", 7 }, { "Marchand", 7 }, { "Duval", 7 },
	{ "Denis", 7 }, { "Dumont", 7 }, { "Marie", 6 }, { "Lemaire", 6 },
	{ "Noël", 6 }, { "Meyer", 6 }, { "Dufour", 6 }, { "Meunier", 6 },
	{ "Brun", 6 }, { "Blanchard", 6 }, { "Giraud", 6 }, { "Joly", 6 },
	{ "Rivière", 6 }, { "Lucas", 6 }, { "Brunet", 6 }, { "Gaillard", 6 },
	{ "Barbier", 6 }, { "Arnaud", 6 }, { "Martinez", 6 }, { "Gérard", 6 },
	{ "Roche", 5 }, { "Renard", 5 }, { "Schmitt", 5 }, { "Roy", 5 },
	{ "Leroux", 5 }, { "Colin", 5 }, { "Vidal", 5 }, { "Caron", 5 },
	{ "Picard", 5 }, { "Roger", 5 }, { "Fabre", 5 }, { "Aubert", 5 },
	{ "Lemoine", 5 }, { "Renaud", 5 }, { "Dumas", 5 }, { "Lacroix", 5 },
	{ "Olivier", 5 }, { "Philippe", 5 }, { "Bourgeois", 5 }, { "Pierre", 5 },
	{ "Benoît", 4 }, { "Rey", 4 }, { "Leclerc", 4 }, { "Payet", 4 },
	{ "Rolland", 4 }, { "Leclercq", 4 }, { "Guillaume", 4 }, { "Lecomte", 4 },
	{ "Lopez", 4 }, { "Jean", 4 }, { "Dupuy", 4 }, { "Guillot", 4 },
	{ "Hubert", 4 }, { "Berger", 4 }, { "Carpentier", 4 }, { "Sanchez", 4 },
	{ "Dupuis", 4 }, { "Moulin", 4 }, { "Louis", 4 }, { "Deschamps", 4 },
	{ "Huet", 4 }, { "Vasseur", 4 }, { "Perez", 4 }, { "Boucher", 4 },
	{ "Fleury", 4 }, { "Royer", 4 }, { "Klein", 4 }, { "Jacquet", 4 },
	{ "Adam", 4 }, { "Paris", 4 }, { "Poirier", 4 }, { "Marty", 4 },
	{ "Aubry", 3 }, { "Guyot", 3 }, { "Carré", 3 }, { "Charles", 3 },
	{ "Renault", 3 }, { "Charpentier", 3 }, { "Ménard", 3 }, { "Maillard", 3 },
	{ "Baron", 3 }, { "Bertin", 3 }, { "Bailly", 3 }, { "Hervé", 3 },
	{ "Schneider", 3 }, { "Fernandez", 3 }, { "Le Gall", 3 }, { "Collet", 3 },
	{ "Léger", 3 }, { "Bouvier", 3 }, { "Julien", 3 }, { "Prévost", 3 },
	{ "Millet", 3 }, { "Perrot", 3 }, { "Daniel", 3 }, { "Le Roux", 3 },
	{ "Cousin", 3 }, { "Germain", 3 }, { "Breton", 3 }, { "Besson", 3 },
	{ "Langlois", 3 }, { "Rémy", 3 }, { "Le Goff", 3 }, { "Pelletier", 3 },
	{ "Lévêque", 3 }, { "Perrier", 3 }, { "Leblanc", 3 }, { "Barré", 3 },
	{ "Lebrun", 3 }, { "Marchal", 3 }, { "Weber", 3 }, { "Mallet", 3 },
	{ "Hamon", 3 }, { "Boulanger", 3 }, { "Jacob", 3 }, { "Monnier", 3 },
	{ "Michaud", 3 }, { "Rodriguez", 3 }, { "Guichard", 3 }, { "Gillet", 3 },
	{ "Étienne", 3 }, { "Grondin", 3 }, { "Poulain", 3 }, { "Tessier", 3 },
	{ "Chevallier", 3 }, { "Collin", 3 }, { "Chauvin", 3 }, { "Da Silva", 3 },
	{ "Bouchet", 3 }, { "Gay", 3 }, { "Lemaître", 3 }, { "Bénard", 3 },
	{ "Diallo", 3 }, { "N'Diaye", 2 }, { "D'Angelo", 2 },
	{ "Benoît-Lévy", 1 }, { "Saint-Martin", 1 }, { "De la Fontaine", 1 }, { "Traoré", 2 },
};
COUNTED(seed_last_fr);

TABLE(struct seed_word, seed_last_be) = {
	{ "Peeters", 10 }, { "Janssens", 10 }, { "Maes", 8 }, { "Jacobs", 8 },
	{ "Mertens", 7 }, { "Willems", 7 }, { "Claes", 7 }, { "Goossens", 6 },
	{ "Wouters", 6 }, { "De Smet", 6 }, { "Dubois", 9 }, { "Lambert", 8 },
	{ "Dupont", 7 }, { "Martin", 7 }, { "Leclercq", 6 }, { "Renard", 5 },
	{ "Lejeune", 5 }, { "Hermans", 5 }, { "Denis", 5 }, { "Laurent", 5 },
	{ "Simon", 5 }, { "Collard", 4 }, { "Lemaire", 4 }, { "Dumont", 4 },
	{ "Gilson", 4 }, { "Pirson", 4 }, { "Thiry", 4 }, { "Delvaux", 4 },
	{ "Jacquet", 3 }, { "Michaux", 3 }, { "Lecocq", 3 }, { "Wauters", 3 },
	{ "Dethier", 3 }, { "Lhoest", 2 }, { "Piette", 3 }, { "Gérard", 3 },
	{ "François", 3 }, { "Henrard", 2 }, { "Noël", 2 }, { "Van den Bossche", 3 },
	{ "Vandenberghe", 3 }, { "D'Hondt", 2 }, { "Vanderlinden", 2 }, { "Delhaye", 3 },
};
COUNTED(seed_last_be);

/* Real postcodes (France: 5 digits, the first district's code for the
 * cities with districts; Belgium: 4 digits). Weights ~ population. */
TABLE(struct seed_city, seed_cities_fr) = {
	{ "Paris", "75001", 20, 210, "" }, { "Marseille", "13001", 16, 87, "" },
	{ "Lyon", "69001", 9, 52, "" }, { "Toulouse", "31000", 1, 50, "" },
	{ "Nice", "06000", 1, 34, "" }, { "Nantes", "44000", 1, 32, "" },
	{ "Montpellier", "34000", 1, 30, "" }, { "Strasbourg", "67000", 1, 29, "" },
	{ "Bordeaux", "33000", 1, 26, "" }, { "Lille", "59000", 1, 23, "" },
	{ "Rennes", "35000", 1, 22, "" }, { "Reims", "51100", 1, 18, "" },
	{ "Toulon", "83000", 1, 18, "" }, { "Saint-Étienne", "42000", 1, 17, "" },
	{ "Le Havre", "76600", 1, 17, "" }, { "Grenoble", "38000", 1, 16, "" },
	{ "Dijon", "21000", 1, 16, "" }, { "Angers", "49000", 1, 15, "" },
	{ "Nîmes", "30000", 1, 15, "" }, { "Villeurbanne", "69100", 1, 15, "" },
	{ "Clermont-Ferrand", "63000", 1, 15, "" }, { "Le Mans", "72000", 1, 14, "" },
	{ "Aix-en-Provence", "13100", 1, 14, "" }, { "Brest", "29200", 1, 14, "" },
	{ "Tours", "37000", 1, 14, "" }, { "Amiens", "80000", 1, 13, "" },
	{ "Limoges", "87000", 1, 13, "" }, { "Annecy", "74000", 1, 13, "" },
	{ "Perpignan", "66000", 1, 12, "" }, { "Boulogne-Billancourt", "92100", 1, 12, "" },
	{ "Metz", "57000", 1, 12, "" }, { "Besançon", "25000", 1, 12, "" },
	{ "Orléans", "45000", 1, 12, "" }, { "Rouen", "76000", 1, 11, "" },
	{ "Saint-Denis", "93200", 1, 11, "" }, { "Argenteuil", "95100", 1, 11, "" },
	{ "Montreuil", "93100", 1, 11, "" }, { "Mulhouse", "68100", 1, 11, "" },
	{ "Caen", "14000", 1, 11, "" }, { "Nancy", "54000", 1, 10, "" },
	{ "Tourcoing", "59200", 1, 10, "" }, { "Roubaix", "59100", 1, 10, "" },
	{ "Nanterre", "92000", 1, 9, "" }, { "Vitry-sur-Seine", "94400", 1, 9, "" },
	{ "Avignon", "84000", 1, 9, "" }, { "Créteil", "94000", 1, 9, "" },
	{ "Poitiers", "86000", 1, 9, "" }, { "Versailles", "78000", 1, 8, "" },
	{ "Pau", "64000", 1, 8, "" }, { "Courbevoie", "92400", 1, 8, "" },
	{ "Colombes", "92700", 1, 8, "" }, { "La Rochelle", "17000", 1, 8, "" },
	{ "Calais", "62100", 1, 7, "" }, { "Cannes", "06400", 1, 7, "" },
	{ "Antibes", "06600", 1, 7, "" }, { "Béziers", "34500", 1, 7, "" },
	{ "Saint-Maur-des-Fossés", "94100", 1, 7, "" }, { "Bourges", "18000", 1, 6, "" },
	{ "Issy-les-Moulineaux", "92130", 1, 6, "" }, { "Levallois-Perret", "92300", 1, 6, "" },
	{ "Valence", "26000", 1, 6, "" }, { "Quimper", "29000", 1, 6, "" },
	{ "Chambéry", "73000", 1, 6, "" }, { "Neuilly-sur-Seine", "92200", 1, 6, "" },
	{ "Troyes", "10000", 1, 6, "" }, { "Niort", "79000", 1, 6, "" },
	{ "Lorient", "56100", 1, 6, "" }, { "Vannes", "56000", 1, 5, "" },
	{ "Chartres", "28000", 1, 4, "" }, { "Saint-Malo", "35400", 1, 5, "" },
	{ "Bayonne", "64100", 1, 5, "" }, { "Colmar", "68000", 1, 7, "" },
	{ "Arles", "13200", 1, 5, "" }, { "Vincennes", "94300", 1, 5, "" },
	{ "Saint-Germain-en-Laye", "78100", 1, 4, "" }, { "Angoulême", "16000", 1, 4, "" },
	{ "Blois", "41000", 1, 4, "" }, { "Carcassonne", "11000", 1, 5, "" },
	{ "Narbonne", "11100", 1, 5, "" }, { "Sète", "34200", 1, 4, "" },
	{ "Biarritz", "64200", 1, 3, "" }, { "Auxerre", "89000", 1, 3, "" },
	{ "Chalon-sur-Saône", "71100", 1, 4, "" }, { "Mâcon", "71000", 1, 3, "" },
	{ "Beaune", "21200", 1, 2, "" }, { "Nevers", "58000", 1, 3, "" },
	{ "Épinal", "88000", 1, 3, "" }, { "Charleville-Mézières", "08000", 1, 4, "" },
	{ "Belfort", "90000", 1, 5, "" }, { "Lons-le-Saunier", "39000", 1, 2, "" },
	{ "Périgueux", "24000", 1, 3, "" }, { "Agen", "47000", 1, 3, "" },
	{ "Montauban", "82000", 1, 6, "" }, { "Albi", "81000", 1, 5, "" },
	{ "Rodez", "12000", 1, 2, "" }, { "Cahors", "46000", 1, 2, "" },
	{ "Tarbes", "65000", 1, 4, "" }, { "Mont-de-Marsan", "40000", 1, 3, "" },
	{ "Saint-Brieuc", "22000", 1, 4, "" }, { "Laval", "53000", 1, 5, "" },
	{ "Cherbourg-en-Cotentin", "50100", 1, 8, "" }, { "Évreux", "27000", 1, 5, "" },
	{ "Bourg-en-Bresse", "01000", 1, 4, "" }, { "Vienne", "38200", 1, 3, "" },
	{ "Villefranche-sur-Saône", "69400", 1, 4, "" }, { "Gap", "05000", 1, 4, "" },
	{ "Digne-les-Bains", "04000", 1, 2, "" }, { "Ajaccio", "20000", 1, 7, "" },
	{ "L'Haÿ-les-Roses", "94240", 1, 3, "" }, { "Fréjus", "83600", 1, 5, "" },
	{ "Hyères", "83400", 1, 5, "" }, { "Cognac", "16100", 1, 2, "" },
	{ "Saint-Quentin", "02100", 1, 5, "" }, { "Châteauroux", "36000", 1, 4, "" },
	{ "Aurillac", "15000", 1, 2, "" }, { "Le Puy-en-Velay", "43000", 1, 2, "" },
};
COUNTED(seed_cities_fr);

TABLE(struct seed_city, seed_cities_be) = {
	{ "Bruxelles", "1000", 1, 18, "Bruxelles-Capitale" },
	{ "Schaerbeek", "1030", 1, 13, "Bruxelles-Capitale" },
	{ "Etterbeek", "1040", 1, 5, "Bruxelles-Capitale" },
	{ "Ixelles", "1050", 1, 9, "Bruxelles-Capitale" },
	{ "Saint-Gilles", "1060", 1, 5, "Bruxelles-Capitale" },
	{ "Anderlecht", "1070", 1, 12, "Bruxelles-Capitale" },
	{ "Uccle", "1180", 1, 8, "Bruxelles-Capitale" },
	{ "Forest", "1190", 1, 6, "Bruxelles-Capitale" },
	{ "Woluwe-Saint-Lambert", "1200", 1, 6, "Bruxelles-Capitale" },
	{ "Wavre", "1300", 1, 3, "Brabant wallon" },
	{ "Ottignies-Louvain-la-Neuve", "1348", 1, 3, "Brabant wallon" },
	{ "Nivelles", "1400", 1, 3, "Brabant wallon" },
	{ "Waterloo", "1410", 1, 3, "Brabant wallon" },
	{ "Braine-l'Alleud", "1420", 1, 4, "Brabant wallon" },
	{ "Liège", "4000", 1, 20, "Liège" },
	{ "Seraing", "4100", 1, 6, "Liège" },
	{ "Huy", "4500", 1, 2, "Liège" },
	{ "Verviers", "4800", 1, 6, "Liège" },
	{ "Spa", "4900", 1, 1, "Liège" },
	{ "Namur", "5000", 1, 11, "Namur" },
	{ "Gembloux", "5030", 1, 3, "Namur" },
	{ "Dinant", "5500", 1, 1, "Namur" },
	{ "Charleroi", "6000", 1, 20, "Hainaut" },
	{ "Bastogne", "6600", 1, 2, "Luxembourg" },
	{ "Arlon", "6700", 1, 3, "Luxembourg" },
	{ "Marche-en-Famenne", "6900", 1, 2, "Luxembourg" },
	{ "Mons", "7000", 1, 10, "Hainaut" },
	{ "La Louvière", "7100", 1, 8, "Hainaut" },
	{ "Tournai", "7500", 1, 7, "Hainaut" },
	{ "Mouscron", "7700", 1, 6, "Hainaut" },
};
COUNTED(seed_cities_be);

/* French addresses put the number first: "12 rue de la République". */
TABLE(struct seed_word, seed_streets_fr) = {
	{ "rue de la République", 10 }, { "avenue Jean Jaurès", 8 }, { "rue Victor Hugo", 10 },
	{ "rue Pasteur", 8 }, { "boulevard Gambetta", 6 }, { "rue du Général de Gaulle", 8 },
	{ "place de la Mairie", 4 }, { "rue de l'Église", 8 }, { "chemin des Vignes", 4 },
	{ "impasse des Lilas", 4 }, { "allée des Tilleuls", 4 }, { "rue des Écoles", 6 },
	{ "avenue de la Gare", 6 }, { "rue du Moulin", 6 }, { "rue Émile Zola", 6 },
	{ "rue Jules Ferry", 6 }, { "boulevard Voltaire", 4 }, { "rue de Verdun", 5 },
	{ "rue du Château", 5 }, { "rue Nationale", 5 }, { "avenue Foch", 4 },
	{ "rue Jean Moulin", 6 }, { "rue des Acacias", 4 }, { "rue de la Paix", 5 },
	{ "quai des Bateliers", 2 }, { "rue Saint-Martin", 4 }, { "rue du Four", 3 },
	{ "rue des Jardins", 5 }, { "avenue des Champs", 2 }, { "rue de la Liberté", 5 },
	{ "route de Lyon", 3 }, { "rue Carnot", 6 }, { "cours Mirabeau", 2 },
	{ "rue du Faubourg Saint-Antoine", 2 }, { "rue Alsace-Lorraine", 3 }, { "rue des Roses", 4 },
	{ "chemin du Lavoir", 3 }, { "rue de la Fontaine", 4 }, { "avenue du Maréchal Leclerc", 5 },
	{ "rue Anatole France", 5 }, { "rue Gustave Eiffel", 3 }, { "place du Marché", 4 },
	{ "rue des Tanneurs", 2 }, { "rue Louis Pergaud", 2 }, { "allée des Cerisiers", 3 },
	{ "rue de Bretagne", 3 }, { "rue Sainte-Catherine", 3 }, { "rue d'Alésia", 2 },
	{ "boulevard de la Croix-Rousse", 2 }, { "rue de la Charité", 2 }, { "rue Paradis", 2 },
};
COUNTED(seed_streets_fr);

/* Belgian addresses put the number after the street: "Rue Neuve 12". */
TABLE(struct seed_word, seed_streets_be) = {
	{ "Rue Neuve", 6 }, { "Chaussée de Waterloo", 6 }, { "Avenue Louise", 5 },
	{ "Rue de la Loi", 3 }, { "Boulevard Anspach", 3 }, { "Rue du Midi", 4 },
	{ "Rue de Namur", 5 }, { "Rue Haute", 4 }, { "Chaussée de Charleroi", 5 },
	{ "Rue de la Station", 6 }, { "Rue de l'Église", 6 }, { "Place Saint-Lambert", 2 },
	{ "Rue Saint-Gilles", 4 }, { "Avenue de Tervueren", 3 }, { "Rue des Champs", 5 },
	{ "Rue du Moulin", 5 }, { "Rue des Écoles", 4 }, { "Chaussée de Bruxelles", 5 },
	{ "Rue Royale", 3 }, { "Quai de la Batte", 2 }, { "Rue Grande", 4 },
	{ "Avenue des Combattants", 4 }, { "Rue du Pont", 4 }, { "Rue de Fer", 3 },
	{ "Rue Léopold", 4 }, { "Boulevard Tirou", 2 }, { "Rue de Bruxelles", 4 },
};
COUNTED(seed_streets_be);

TABLE(struct seed_word, seed_line2) = {
	{ "Appartement 12", 4 }, { "Bâtiment B", 4 }, { "3e étage", 4 },
	{ "Résidence Les Pins", 3 }, { "Escalier C, porte gauche", 2 }, { "Appt 4B", 3 },
	{ "Chez Mme Lefèvre", 1 }, { "Lieu-dit Les Granges", 2 }, { "BP 42", 1 },
	{ "Boîte 3", 3 }, { "2e étage droite", 3 }, { "Au fond de la cour", 2 },
};
COUNTED(seed_line2);

/* Mail providers as people use them, moved under the reserved .example
 * TLD (RFC 2606) so that no e-mail of a demo ever reaches anyone. */
TABLE(struct seed_word, seed_mail_fr) = {
	{ "gmail.example", 34 }, { "orange.example", 16 }, { "hotmail.example", 9 },
	{ "free.example", 8 }, { "yahoo.example", 5 }, { "sfr.example", 5 },
	{ "laposte.example", 5 }, { "outlook.example", 4 }, { "icloud.example", 4 },
	{ "wanadoo.example", 3 }, { "neuf.example", 2 }, { "bbox.example", 2 },
};
COUNTED(seed_mail_fr);

TABLE(struct seed_word, seed_mail_be) = {
	{ "gmail.example", 30 }, { "skynet.example", 16 }, { "hotmail.example", 12 },
	{ "telenet.example", 10 }, { "proximus.example", 6 }, { "outlook.example", 6 },
	{ "voo.example", 5 }, { "yahoo.example", 4 }, { "icloud.example", 3 },
};
COUNTED(seed_mail_be);

TABLE(struct seed_company, seed_companies) = {
	{ "Boulangerie ", "", 0 }, { "Garage ", "", 0 }, { "Cabinet ", "", 0 },
	{ "SARL ", " & Fils", 0 }, { "", " Immobilier", 0 }, { "Pharmacie ", "", 0 },
	{ "Fleurs ", "", 0 }, { "Restaurant Chez ", "", 0 }, { "Menuiserie ", "", 0 },
	{ "Cabinet d'architecture ", "", 0 }, { "", " Conseil", 0 }, { "Atelier ", "", 0 },
	{ "Mairie de ", "", 1 }, { "Comité des fêtes de ", "", 1 }, { "Office de tourisme de ", "", 1 },
	{ "Club de handball de ", "", 1 }, { "Association des commerçants de ", "", 1 },
	{ "Domaine ", "", 0 }, { "Salon de coiffure ", "", 0 }, { "", " Paysages", 0 },
};
COUNTED(seed_companies);

/* Print shop: made to order, prices per job (the options choose the run). */
static const char *const v_cards[] = { "recto", "recto verso", NULL };
static const char *const v_flyers[] = { "A5", "A6", "DL", "A4", NULL };
static const char *const v_posters[] = { "A3", "A2", "A1", "A0", NULL };
static const char *const v_wedding[] = { "Faire-part de mariage", "Faire-part de naissance",
	"Carte de remerciement", "Menu de mariage", NULL };
static const char *const v_stickers[] = { "ronds Ø 5 cm", "carrés 6 × 6 cm", "ovales 8 × 5 cm",
	"découpe à la forme", NULL };
static const char *const v_envelopes[] = { "blanches DL", "kraft C5", "blanches C4 à fenêtre", NULL };
static const char *const v_papers[] = { "ramette A4 80 g", "ramette A4 120 g ivoire",
	"ramette A3 100 g", NULL };

static const char *const v_banners[] = { "2 × 0,8 m", "3 × 1 m", "4 × 1 m", "5 × 1,5 m", NULL };

TABLE(struct seed_item, seed_print) = {
	{ "CDV", "Cartes de visite 85 × 55 mm", v_cards, 0, 1290, 2990, 2000, 350, 1, 0, QTY_ONE, OPT_CARDS, "Cartes de visite", 30 },
	{ "FLY", "Flyers", v_flyers, 0, 2490, 6990, 2000, 1800, 1, 0, QTY_ONE, OPT_FLYERS, "Flyers", 22 },
	{ "DEP", "Dépliants A4 3 volets", NULL, 0, 8990, 24990, 2000, 2500, 1, 0, QTY_ONE, OPT_FLYERS, "Dépliants", 8 },
	{ "AFF", "Affiches", v_posters, 0, 990, 4990, 2000, 400, 1, 0, QTY_ONE, OPT_POSTERS, "Affiches", 12 },
	{ "BAN", "Banderole PVC 510 g", v_banners,
		0, 3990, 14990, 2000, 1500, 1, 0, QTY_FEW, OPT_BANNER, "Banderole", 6 },
	{ "KAK", "Kakémono roll-up 85 × 200 cm", NULL, 0, 6990, 11990, 2000, 4200, 1, 0, QTY_FEW, OPT_BANNER, "Kakémono", 4 },
	{ "ADH", "Autocollants", v_stickers, 0, 1990, 5990, 2000, 300, 1, 0, QTY_ONE, OPT_FLYERS, "Autocollants", 8 },
	{ "ETQ", "Étiquettes de vin personnalisées", NULL, 0, 4990, 18990, 2000, 400, 1, 0, QTY_ONE, OPT_FLYERS, "Étiquettes", 4 },
	{ "FPT", "Papeterie d'événement", v_wedding, 0, 3990, 19990, 2000, 900, 1, 0, QTY_ONE, OPT_STATIONERY, "Faire-part", 8 },
	{ "VOE", "Cartes de vœux 10 × 15 cm", NULL, 0, 2990, 8990, 2000, 700, 1, 0, QTY_ONE, OPT_STATIONERY, "Cartes de vœux", 5 },
	{ "MEN", "Menus restaurant A4 pelliculés", NULL, 0, 3490, 11990, 2000, 1200, 1, 0, QTY_ONE, OPT_POSTERS, "Menus", 3 },
	{ "ENT", "Papier en-tête A4 90 g", NULL, 0, 3990, 12990, 2000, 2500, 1, 0, QTY_ONE, OPT_FLYERS, "Papier en-tête", 4 },
	{ "BRO", "Brochure A5 agrafée 16 pages", NULL, 0, 14990, 49990, 2000, 4800, 1, 0, QTY_ONE, OPT_FLYERS, "Brochures", 3 },
	{ "CAL", "Calendriers muraux A3", NULL, 0, 9990, 39990, 2000, 3500, 1, 0, QTY_ONE, OPT_POSTERS, "Calendriers", 3 },
	{ "TAM", "Tampon encreur personnalisé 38 × 14 mm", NULL, 0, 1890, 2990, 2000, 90, 1, 0, QTY_FEW, OPT_STAMP, "Tampon", 4 },
	{ "DIB", "Panneau Dibond 3 mm A2", NULL, 0, 3990, 7990, 2000, 1600, 1, 0, QTY_FEW, OPT_BANNER, "Panneau", 2 },
	{ "CAR", "Carnets autocopiants A5 50 liasses", NULL, 0, 8990, 21990, 2000, 1900, 1, 0, QTY_ONE, OPT_STATIONERY, "Carnets", 2 },
	{ "ENV", "Enveloppes", v_envelopes, 0, 790, 2490, 2000, 1200, 0, 1, QTY_FEW, OPT_NONE, NULL, 4 },
	{ "PAP", "Papier", v_papers, 0, 590, 1990, 2000, 2500, 0, 1, QTY_FEW, OPT_NONE, NULL, 3 },
	{ "CAD", "Cadre photo bois 30 × 40 cm", NULL, 0, 1490, 3490, 2000, 900, 0, 1, QTY_FEW, OPT_NONE, NULL, 2 },
};
COUNTED(seed_print);

/* Wine shop: AOC wines, champagne, spirits (20 % VAT), and the odd juice. */
static const char *const v_estates_bgn[] = { "Domaine des Ormes", "Domaine Bernard-Lacoste",
	"Maison Ravenel", "Domaine de la Combe aux Loups", "Domaine Petit-Marchand", NULL };
static const char *const v_estates_bdx[] = { "Château Lamothe-Berger", "Château Haut-Cassagne",
	"Château La Garrigue", "Château Belair-Sauveterre", NULL };
static const char *const v_estates_any[] = { "Domaine des Coteaux Fleuris", "Domaine du Vieux Puits",
	"Cave de la Roche Blanche", "Domaine Saint-Aubin-Laforêt", "Clos des Amandiers", NULL };
static const char *const v_champagne[] = { "Champagne Delorme Père & Fils", "Champagne Hubert-Vasseur",
	"Champagne Marguerite Lenoir", NULL };
static const char *const v_spirit_age[] = { "VS", "VSOP", "XO", "Hors d'âge", NULL };

static const char *const v_boxes[] = { "Bourgogne", "Bordeaux", "Découverte", NULL };

TABLE(struct seed_item, seed_wine) = {
	{ "BGR", "Bourgogne Pinot noir, 75 cl", v_estates_bgn, 1, 1490, 2490, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 20 },
	{ "BGB", "Bourgogne Chardonnay, 75 cl", v_estates_bgn, 1, 1390, 2290, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 16 },
	{ "CHB", "Chablis 1er cru Montmains, 75 cl", v_estates_bgn, 1, 2490, 3990, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 10 },
	{ "POM", "Pommard, 75 cl", v_estates_bgn, 1, 4290, 6990, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 6 },
	{ "MEU", "Meursault, 75 cl", v_estates_bgn, 1, 4890, 7990, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 6 },
	{ "SAV", "Savigny-lès-Beaune, 75 cl", v_estates_bgn, 1, 2690, 3990, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 8 },
	{ "GEV", "Gevrey-Chambertin, 75 cl", v_estates_bgn, 1, 5490, 8990, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 5 },
	{ "MAC", "Mâcon-Villages, 75 cl", v_estates_bgn, 1, 1090, 1690, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 10 },
	{ "CRE", "Crémant de Bourgogne brut, 75 cl", v_estates_bgn, 0, 1190, 1790, 2000, 1600, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 10 },
	{ "SEM", "Saint-Émilion grand cru, 75 cl", v_estates_bdx, 1, 2490, 5490, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 8 },
	{ "PAU", "Pauillac, 75 cl", v_estates_bdx, 1, 3990, 8990, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 4 },
	{ "GRV", "Graves blanc, 75 cl", v_estates_bdx, 1, 1290, 2190, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 5 },
	{ "SAU", "Sauternes, 37,5 cl", v_estates_bdx, 1, 1990, 3990, 2000, 800, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 3 },
	{ "CDR", "Côtes-du-Rhône rouge, 75 cl", v_estates_any, 1, 790, 1290, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 12 },
	{ "CNP", "Châteauneuf-du-Pape, 75 cl", v_estates_any, 1, 3290, 5490, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 6 },
	{ "SAN", "Sancerre blanc, 75 cl", v_estates_any, 1, 1890, 2790, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 8 },
	{ "ALS", "Alsace Riesling, 75 cl", v_estates_any, 1, 1190, 1990, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 6 },
	{ "PRV", "Côtes de Provence rosé, 75 cl", v_estates_any, 1, 990, 1690, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 12 },
	{ "BEA", "Beaujolais-Villages, 75 cl", v_estates_any, 1, 790, 1190, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 6 },
	{ "MAD", "Madiran, 75 cl", v_estates_any, 1, 1190, 1890, 2000, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 3 },
	{ "CHA", "Champagne brut, 75 cl", v_champagne, 0, 2890, 4490, 2000, 1650, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 12 },
	{ "CHR", "Champagne rosé, 75 cl", v_champagne, 0, 3690, 5490, 2000, 1650, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 5 },
	{ "CHM", "Champagne brut, magnum 150 cl", v_champagne, 0, 6990, 9990, 2000, 3200, 0, 1, QTY_SPIRIT, OPT_NONE, NULL, 2 },
	{ "COG", "Cognac, 70 cl", v_spirit_age, 0, 3490, 12990, 2000, 1400, 0, 1, QTY_SPIRIT, OPT_NONE, NULL, 4 },
	{ "ARM", "Bas-Armagnac 12 ans, 70 cl", NULL, 0, 4490, 6990, 2000, 1400, 0, 1, QTY_SPIRIT, OPT_NONE, NULL, 2 },
	{ "CAL", "Calvados Pays d'Auge, 70 cl", v_spirit_age, 0, 2990, 7990, 2000, 1400, 0, 1, QTY_SPIRIT, OPT_NONE, NULL, 2 },
	{ "MRC", "Marc de Bourgogne, 70 cl", NULL, 0, 3290, 4990, 2000, 1400, 0, 1, QTY_SPIRIT, OPT_NONE, NULL, 2 },
	{ "CAS", "Crème de cassis de Dijon, 50 cl", NULL, 0, 1490, 1990, 2000, 900, 0, 1, QTY_SPIRIT, OPT_NONE, NULL, 4 },
	{ "JUS", "Jus de raisin pétillant, 75 cl", NULL, 0, 490, 790, 550, 1300, 0, 1, QTY_BOTTLES, OPT_NONE, NULL, 2 },
	{ "COF", "Coffret dégustation 3 bouteilles", v_boxes,
		0, 4990, 8990, 2000, 4200, 0, 1, QTY_SPIRIT, OPT_NONE, NULL, 4 },
	{ "TIR", "Tire-bouchon sommelier", NULL, 0, 1290, 3990, 2000, 150, 0, 1, QTY_SPIRIT, OPT_NONE, NULL, 2 },
	{ "CAR", "Carafe à décanter 1,5 l", NULL, 0, 2490, 4990, 2000, 1200, 0, 1, QTY_SPIRIT, OPT_NONE, NULL, 1 },
};
COUNTED(seed_wine);

/* Gift shop: mostly 20 %, books and food at 5,5 %, plants at 10 %. */
static const char *const v_scents[] = { "Figue", "Fleur d'oranger", "Bois de santal", "Lavande",
	"Vanille", "Thé blanc", "Ambre", "Mimosa", NULL };
static const char *const v_colours[] = { "Bleu nuit", "Terracotta", "Vert sauge", "Blanc cassé",
	"Moutarde", "Rose poudré", NULL };
static const char *const v_books[] = { "Les Recettes de nos grands-mères", "Petits Villages de France",
	"Le Grand Livre des plantes d'intérieur", "Balades en Bourgogne", "L'Art du thé",
	"Carnet de voyage en Provence", "Le Goût des confitures", NULL };
static const char *const v_teas[] = { "Thé vert jasmin", "Earl Grey", "Rooibos vanille",
	"Thé noir Assam", "Infusion verveine menthe", NULL };
static const char *const v_jams[] = { "Abricot", "Fraise", "Figue", "Mirabelle", "Orange amère", NULL };

static const char *const v_puzzles[] = { "Carte de France ancienne", "Jardin d'hiver",
	"Marché provençal", NULL };

TABLE(struct seed_item, seed_gift) = {
	{ "BOU", "Bougie parfumée 180 g", v_scents, 0, 1690, 2890, 2000, 450, 0, 1, QTY_FEW, OPT_NONE, NULL, 20 },
	{ "DIF", "Diffuseur à bâtonnets 100 ml", v_scents, 0, 1990, 3290, 2000, 380, 0, 1, QTY_FEW, OPT_NONE, NULL, 10 },
	{ "MUG", "Mug en grès 35 cl", v_colours, 0, 1290, 1890, 2000, 420, 0, 1, QTY_FEW, OPT_NONE, NULL, 12 },
	{ "MGP", "Mug personnalisé", NULL, 0, 1590, 2190, 2000, 420, 1, 0, QTY_FEW, OPT_ENGRAVING, NULL, 6 },
	{ "CAR", "Carnet A5 couverture lin", v_colours, 0, 990, 1690, 2000, 280, 0, 1, QTY_FEW, OPT_NONE, NULL, 10 },
	{ "LIV", "Livre", v_books, 0, 1490, 3490, 550, 700, 0, 1, QTY_ONE, OPT_NONE, NULL, 12 },
	{ "THE", "Boîte de thé 100 g", v_teas, 0, 790, 1490, 550, 160, 0, 1, QTY_FEW, OPT_NONE, NULL, 10 },
	{ "CON", "Confiture artisanale 250 g", v_jams, 0, 490, 790, 550, 380, 0, 1, QTY_FEW, OPT_NONE, NULL, 8 },
	{ "CHN", "Tablette de chocolat noir 70 %", NULL, 0, 390, 690, 550, 110, 0, 1, QTY_FEW, OPT_NONE, NULL, 8 },
	{ "CHL", "Coffret de chocolats au lait 200 g", NULL, 0, 1490, 2490, 2000, 300, 0, 1, QTY_ONE, OPT_NONE, NULL, 5 },
	{ "ORC", "Orchidée en pot Ø 12 cm", NULL, 0, 1990, 3490, 1000, 1100, 0, 1, QTY_ONE, OPT_NONE, NULL, 4 },
	{ "CAC", "Trio de cactus en pots", NULL, 0, 1490, 2290, 1000, 900, 0, 1, QTY_ONE, OPT_NONE, NULL, 3 },
	{ "PLA", "Plaid en laine 130 × 170 cm", v_colours, 0, 4990, 8990, 2000, 1100, 0, 1, QTY_ONE, OPT_NONE, NULL, 5 },
	{ "PUZ", "Puzzle 1000 pièces", v_puzzles, 0, 1990, 2990, 2000, 800, 0, 1, QTY_ONE, OPT_NONE, NULL, 5 },
	{ "SAV", "Savon de Marseille 300 g", NULL, 0, 490, 890, 2000, 320, 0, 1, QTY_FEW, OPT_NONE, NULL, 6 },
	{ "TOT", "Tote bag coton bio", v_colours, 0, 1290, 1990, 2000, 150, 0, 1, QTY_FEW, OPT_NONE, NULL, 6 },
	{ "BIJ", "Bracelet jonc gravé", NULL, 0, 2490, 4990, 2000, 40, 1, 0, QTY_ONE, OPT_ENGRAVING, NULL, 5 },
	{ "CAD", "Cadre photo 13 × 18 cm", v_colours, 0, 1290, 2490, 2000, 500, 0, 1, QTY_FEW, OPT_NONE, NULL, 5 },
	{ "CPO", "Carte postale illustrée", NULL, 0, 250, 350, 2000, 20, 0, 1, QTY_FEW, OPT_NONE, NULL, 4 },
};
COUNTED(seed_gift);

TABLE(struct seed_word, seed_remarks_any) = {
	{ "Livrer après 18 h", 10 }, { "Merci de bien protéger le colis", 10 },
	{ "Code portail : 4521B", 4 }, { "Digicode 1984A, 3e étage gauche", 4 },
	{ "Laisser le colis chez la gardienne si je suis absent", 5 },
	{ "Absente le mercredi, merci d'en tenir compte", 3 },
	{ "Appeler avant de passer, la sonnette ne fonctionne pas", 4 },
	{ "C'est un cadeau : merci de ne pas joindre la facture", 6 },
	{ "Livraison au bureau, accueil ouvert de 9 h à 17 h", 4 },
	{ "Facture au nom de la société, s'il vous plaît", 4 },
	{ "Déposer dans la boîte aux lettres si possible", 3 },
	{ "Merci d'avance !", 3 }, { "Urgent : c'est pour samedi", 3 },
};
COUNTED(seed_remarks_any);

TABLE(struct seed_word, seed_remarks_print) = {
	{ "BAT à valider avant impression, merci", 8 },
	{ "Merci de vérifier l'orthographe du nom sur les cartes", 5 },
	{ "Fichiers en haute définition envoyés par e-mail", 5 },
	{ "Logo en pièce jointe, couleurs Pantone 286 C", 3 },
	{ "Même modèle que la commande précédente", 4 },
	{ "Besoin des flyers avant le salon du 14", 3 },
};
COUNTED(seed_remarks_print);

TABLE(struct seed_word, seed_remarks_wine) = {
	{ "Merci d'emballer les bouteilles séparément", 6 },
	{ "Bouteilles pour un anniversaire, livraison avant le 12 svp", 4 },
	{ "Pouvez-vous ajouter un mot : « Joyeux anniversaire Papa ! »", 3 },
	{ "Colis lourd, merci de le monter au 2e étage si possible", 3 },
	{ "Conserver au frais à la livraison (champagne)", 2 },
};
COUNTED(seed_remarks_wine);

TABLE(struct seed_word, seed_remarks_gift) = {
	{ "Emballage cadeau, s'il vous plaît", 8 },
	{ "Pouvez-vous ajouter un petit mot : « Bonne fête Maman »", 4 },
	{ "Merci de retirer les prix", 5 },
	{ "Deux paquets séparés si possible", 3 },
};
COUNTED(seed_remarks_gift);

TABLE(struct seed_word, seed_notes) = {
	{ "Client rappelé : livraison confirmée pour jeudi", 5 },
	{ "Colis abîmé signalé par le transporteur, renvoi fait", 2 },
	{ "BAT envoyé au client", 3 }, { "BAT validé par téléphone", 3 },
	{ "Paiement reçu par virement, référence vérifiée", 3 },
	{ "Client fidèle : ajouter un échantillon", 3 },
	{ "Adresse corrigée après appel du client", 3 },
	{ "Produit en rupture chez le fournisseur, client prévenu", 2 },
};
COUNTED(seed_notes);

TABLE(struct seed_word, seed_cancel_reasons) = {
	{ "Paiement non reçu dans le délai", 6 }, { "À la demande du client", 6 },
	{ "Commande en double", 3 }, { "Produit indisponible", 2 },
	{ "Adresse de livraison invalide", 1 },
};
COUNTED(seed_cancel_reasons);

/* Staff names for the history, when the shop has no staff account yet. */
TABLE(struct seed_word, seed_team) = {
	{ "Claire Fontaine", 3 }, { "Julien Roche", 3 }, { "Sophie Marchand", 2 }, { "Karim Benali", 2 },
};
COUNTED(seed_team);

TABLE(struct seed_word, seed_engravings) = {
	{ "Léa", 3 }, { "Joyeux anniversaire Papa", 3 }, { "Merci maîtresse !", 3 },
	{ "Pour toujours — 12.06.2021", 2 }, { "Mamie d'amour", 2 }, { "Bon voyage Hugo", 1 },
};
COUNTED(seed_engravings);
